// Every word the pages show, in Vietnamese (default) and English, switched by the language control.
// Pages add their own dictionaries with `extend`; `data-i18n="key"` on an element sets its text,
// `data-i18n-label`, `data-i18n-placeholder` and `data-i18n-title` set those attributes.

export type Lang = "vi" | "en";
type Params = Record<string, string | number>;
type Dictionary = Record<string, string>;

const dictionaries: Record<Lang, Dictionary> = {
  vi: {
    "lang.switch": "English",
    "lang.switchLabel": "Switch to English",
    "session.title": "Đăng nhập",
    "session.token": "Mã truy cập (token)",
    "session.tokenHint": "Dán mã truy cập được cấp khi khởi tạo máy chủ hoặc bằng lệnh users add.",
    "session.signIn": "Đăng nhập",
    "session.signOut": "Đăng xuất",
    "session.signedInAs": "{name} · {role}",
    "session.unknownToken": "Mã truy cập không đúng hoặc đã bị thu hồi.",
    "session.expired": "Phiên làm việc đã hết hạn: hãy đăng nhập lại.",
    "role.admin": "quản trị viên",
    "role.officer": "cán bộ",
    "role.auditor": "kiểm soát viên",
    "role.portal": "cổng dịch vụ công",
    "error.forbidden": "Tài khoản của bạn không có quyền thực hiện thao tác này.",
    "error.network": "Không kết nối được máy chủ.",
    "error.status": "Máy chủ trả lời lỗi {status}.",
  },
  en: {
    "lang.switch": "Tiếng Việt",
    "lang.switchLabel": "Chuyển sang tiếng Việt",
    "session.title": "Sign in",
    "session.token": "Access token",
    "session.tokenHint": "Paste the token printed at the server's first start or by users add.",
    "session.signIn": "Sign in",
    "session.signOut": "Sign out",
    "session.signedInAs": "{name} · {role}",
    "session.unknownToken": "The token is wrong or has been revoked.",
    "session.expired": "The session has expired: please sign in again.",
    "role.admin": "administrator",
    "role.officer": "officer",
    "role.auditor": "auditor",
    "role.portal": "public service portal",
    "error.forbidden": "Your account may not do this.",
    "error.network": "The server cannot be reached.",
    "error.status": "The server answered with error {status}.",
  },
};

const storageKey = "pe-lang";
let current: Lang = localStorage.getItem(storageKey) === "en" ? "en" : "vi";
const listeners: Array<() => void> = [];

export const lang = (): Lang => current;

export function extend(vi: Dictionary, en: Dictionary): void {
  Object.assign(dictionaries.vi, vi);
  Object.assign(dictionaries.en, en);
}

export function t(key: string, params: Params = {}): string {
  const text = dictionaries[current][key] ?? dictionaries.vi[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

export function setLang(next: Lang): void {
  current = next;
  localStorage.setItem(storageKey, next);
  document.documentElement.lang = next;
  apply(document);
  for (const listener of listeners) listener();
}

export function onLangChange(listener: () => void): void {
  listeners.push(listener);
}

/** Sets the texts of every element marked with data-i18n* under root. */
export function apply(root: ParentNode): void {
  for (const el of root.querySelectorAll<HTMLElement>("[data-i18n]")) el.textContent = t(el.dataset.i18n!);
  for (const el of root.querySelectorAll<HTMLElement>("[data-i18n-label]")) el.setAttribute("aria-label", t(el.dataset.i18nLabel!));
  for (const el of root.querySelectorAll<HTMLElement>("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle!);
  for (const el of root.querySelectorAll<HTMLInputElement>("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder!);
}

/** The language button: toggles vi/en. */
export function bindSwitch(button: HTMLButtonElement): void {
  const render = () => {
    button.textContent = t("lang.switch");
    button.setAttribute("aria-label", t("lang.switchLabel"));
    button.lang = current === "vi" ? "en" : "vi";
  };
  button.addEventListener("click", () => setLang(current === "vi" ? "en" : "vi"));
  onLangChange(render);
  render();
}

document.documentElement.lang = current;

/** dd/MM/yyyy from yyyy-MM-dd (the way Vietnamese forms write dates). */
export const day = (iso: string | null | undefined): string => (iso ? iso.slice(0, 10).split("-").reverse().join("/") : "");

/** "5 working days" as the definition writes it, said in the page's language. */
export function duration(text: string | null | undefined): string {
  const s = String(text ?? "");
  if (current === "en") return s;
  return s
    .replace(/ working days?$/, " ngày làm việc")
    .replace(/ working hours?$/, " giờ làm việc")
    .replace(/ days?$/, " ngày")
    .replace(/ hours?$/, " giờ");
}
