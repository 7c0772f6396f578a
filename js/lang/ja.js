// <anypoint-signin> in Japanese: the element loads this module when its language is ja.
/** @type {import('../element.js').Strings} */
export default {
  "signin": "Anypoint Platform でサインイン",
  "short": "サインイン",
  "continue": "Anypoint で続行",
  "signout": "サインアウト",
  "busy": "サインインしています…",
  "user": "{name} としてサインイン中",
  "messages": {
    "setup": "このページのサインイン設定に問題があります。サイトの管理者にお問い合わせください。",
    "offline": "Anypoint Platform に接続できませんでした。しばらくしてからもう一度お試しください。",
    "denied": "アプリへのアクセスを許可しませんでした。",
    "expired": "セッションの有効期限が切れました。もう一度サインインしてください。",
    "interact": "Anypoint Platform でサインインを完了する必要があります。ボタンをクリックして続行してください。",
    "blocked": "サインイン用のウィンドウがブラウザーにブロックされました。このサイトのポップアップを許可して、もう一度お試しください。",
    "closed": "サインインが完了する前にウィンドウが閉じられました。もう一度お試しください。",
    "signout": "このページではサインアウトしましたが、Anypoint Platform で確認できませんでした。",
    "failed": "サインインを完了できませんでした。もう一度お試しください。"
  }
};
