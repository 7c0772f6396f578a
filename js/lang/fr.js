// <anypoint-signin> in French: the element loads this module when its language is fr.
/** @type {import('../element.js').Strings} */
export default {
  "signin": "Se connecter avec Anypoint Platform",
  "short": "Se connecter",
  "continue": "Continuer avec Anypoint",
  "signout": "Se déconnecter",
  "busy": "Connexion en cours…",
  "user": "Connecté en tant que {name}",
  "messages": {
    "setup": "La connexion n’est pas correctement configurée sur cette page. Prévenez le responsable du site.",
    "offline": "Impossible de joindre Anypoint Platform. Réessayez plus tard.",
    "denied": "Vous avez refusé l’accès à l’application.",
    "expired": "Votre session a expiré. Reconnectez-vous.",
    "interact": "Anypoint Platform a besoin que vous terminiez la connexion. Cliquez sur le bouton pour continuer.",
    "blocked": "Le navigateur a bloqué la fenêtre de connexion. Autorisez les fenêtres pop-up pour ce site, puis réessayez.",
    "closed": "La fenêtre de connexion a été fermée avant la fin. Réessayez.",
    "signout": "Vous êtes déconnecté de cette page, mais Anypoint Platform ne l’a pas confirmé.",
    "failed": "La connexion n’a pas pu aboutir. Réessayez."
  }
};
