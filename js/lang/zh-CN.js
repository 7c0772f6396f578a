// <anypoint-signin> in Simplified Chinese: the element loads this module when its language is zh-CN.
/** @type {import('../element.js').Strings} */
export default {
  "signin": "使用 Anypoint Platform 登录",
  "short": "登录",
  "continue": "通过 Anypoint 继续",
  "signout": "退出登录",
  "busy": "正在登录…",
  "user": "已登录为 {name}",
  "messages": {
    "setup": "此页面的登录配置有误。请联系网站管理员。",
    "offline": "无法连接 Anypoint Platform。请稍后重试。",
    "denied": "你已拒绝授予该应用访问权限。",
    "expired": "你的会话已过期。请重新登录。",
    "interact": "Anypoint Platform 需要你完成登录。请点击按钮继续。",
    "blocked": "浏览器拦截了登录窗口。请允许此网站弹出窗口，然后重试。",
    "closed": "登录窗口在完成前已关闭。请重试。",
    "signout": "你已在此页面退出登录，但 Anypoint Platform 未确认。",
    "failed": "无法完成登录。请重试。"
  }
};
