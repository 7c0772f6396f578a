// <anypoint-signin> in Spanish: the element loads this module when its language is es.
/** @type {import('../element.js').Strings} */
export default {
  "signin": "Iniciar sesión con Anypoint Platform",
  "short": "Iniciar sesión",
  "continue": "Continuar con Anypoint",
  "signout": "Cerrar sesión",
  "busy": "Iniciando sesión…",
  "user": "Sesión iniciada como {name}",
  "messages": {
    "setup": "El inicio de sesión no está bien configurado en esta página. Avise al responsable del sitio.",
    "offline": "No se pudo conectar con Anypoint Platform. Inténtelo de nuevo más tarde.",
    "denied": "Ha rechazado dar acceso a la aplicación.",
    "expired": "Su sesión ha caducado. Vuelva a iniciar sesión.",
    "interact": "Anypoint Platform necesita que termine de iniciar sesión. Pulse el botón para continuar.",
    "blocked": "El navegador bloqueó la ventana de inicio de sesión. Permita las ventanas emergentes de este sitio e inténtelo de nuevo.",
    "closed": "La ventana de inicio de sesión se cerró antes de terminar. Inténtelo de nuevo.",
    "signout": "Ha cerrado la sesión en esta página, pero Anypoint Platform no lo ha confirmado.",
    "failed": "No se pudo completar el inicio de sesión. Inténtelo de nuevo."
  }
};
