// <anypoint-signin> in Portuguese (Brazil): the element loads this module when its language is pt-BR.
/** @type {import('../element.js').Strings} */
export default {
  "signin": "Entrar com a Anypoint Platform",
  "short": "Entrar",
  "continue": "Continuar com a Anypoint",
  "signout": "Sair",
  "busy": "Entrando…",
  "user": "Conectado como {name}",
  "messages": {
    "setup": "O login não está configurado corretamente nesta página. Avise o responsável pelo site.",
    "offline": "Não foi possível acessar a Anypoint Platform. Tente novamente mais tarde.",
    "denied": "Você recusou o acesso ao aplicativo.",
    "expired": "Sua sessão expirou. Entre novamente.",
    "interact": "A Anypoint Platform precisa que você conclua o login. Clique no botão para continuar.",
    "blocked": "O navegador bloqueou a janela de login. Permita pop-ups para este site e tente novamente.",
    "closed": "A janela de login foi fechada antes de terminar. Tente novamente.",
    "signout": "Você saiu nesta página, mas a Anypoint Platform não confirmou.",
    "failed": "Não foi possível concluir o login. Tente novamente."
  }
};
