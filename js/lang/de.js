// <anypoint-signin> in German: the element loads this module when its language is de.
/** @type {import('../element.js').Strings} */
export default {
  "signin": "Mit Anypoint Platform anmelden",
  "short": "Anmelden",
  "continue": "Weiter mit Anypoint",
  "signout": "Abmelden",
  "busy": "Anmeldung läuft…",
  "user": "Angemeldet als {name}",
  "messages": {
    "setup": "Die Anmeldung ist auf dieser Seite nicht richtig eingerichtet. Bitte wenden Sie sich an den Betreiber der Website.",
    "offline": "Anypoint Platform ist nicht erreichbar. Bitte versuchen Sie es später erneut.",
    "denied": "Sie haben der App den Zugriff verweigert.",
    "expired": "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.",
    "interact": "Anypoint Platform braucht Sie, um die Anmeldung abzuschließen. Klicken Sie auf die Schaltfläche, um fortzufahren.",
    "blocked": "Der Browser hat das Anmeldefenster blockiert. Erlauben Sie Pop-ups für diese Website und versuchen Sie es erneut.",
    "closed": "Das Anmeldefenster wurde vor dem Abschluss geschlossen. Bitte versuchen Sie es erneut.",
    "signout": "Sie sind auf dieser Seite abgemeldet, aber Anypoint Platform hat es nicht bestätigt.",
    "failed": "Die Anmeldung konnte nicht abgeschlossen werden. Bitte versuchen Sie es erneut."
  }
};
