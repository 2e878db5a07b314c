// Sign-in shared by every page: the token is exchanged once for an HttpOnly session cookie (POST /api/session);
// GET /api/session says who is signed in; DELETE /api/session signs out.
import { api, onUnauthorized } from "./api";
import { apply, onLangChange, t } from "./i18n";

export interface Session {
  id: string;
  name: string;
  role: "admin" | "officer" | "auditor" | "portal" | string;
  agency?: string | null;
  agencyName?: string | null;
}

export async function whoAmI(): Promise<Session | null> {
  try {
    const { data, response } = await api.GET("/api/session");
    return response.ok && data ? (data as Session) : null;
  } catch {
    return null;
  }
}

export async function signIn(token: string): Promise<{ session?: Session; error?: string }> {
  try {
    const { data, response } = await api.POST("/api/session", { body: { token } });
    if (response.ok && data) return { session: data as Session };
    return { error: response.status === 401 ? t("session.unknownToken") : t("error.status", { status: response.status }) };
  } catch {
    return { error: t("error.network") };
  }
}

export async function signOut(): Promise<void> {
  await api.DELETE("/api/session");
}

/**
 * Shows the sign-in form in `form` until a session exists, then the user's name, role and a sign-out button in
 * `badge`; calls `onSession` with each new session. A 401 from any call brings the form back.
 */
export async function mountSession(form: HTMLFormElement, badge: HTMLElement, onSession: (s: Session) => void, onSignedOut: () => void): Promise<void> {
  form.innerHTML = `
    <h2 data-i18n="session.title"></h2>
    <p class="hint" id="token-hint" data-i18n="session.tokenHint"></p>
    <label for="token" data-i18n="session.token"></label>
    <div class="row">
      <input id="token" name="token" type="password" autocomplete="current-password" aria-describedby="token-hint">
      <button id="sign-in" type="submit" data-i18n="session.signIn"></button>
    </div>
    <p id="sign-in-error" class="error" role="alert"></p>`;
  apply(form);
  const error = form.querySelector<HTMLElement>("#sign-in-error")!;
  const input = form.querySelector<HTMLInputElement>("#token")!;

  let current: Session | null = null;
  const renderBadge = () => {
    badge.replaceChildren();
    if (!current) return;
    const who = document.createElement("span");
    who.id = "who";
    who.textContent = t("session.signedInAs", { name: current.name || current.id, role: t("role." + current.role) });
    const out = document.createElement("button");
    out.id = "sign-out";
    out.type = "button";
    out.textContent = t("session.signOut");
    out.addEventListener("click", async () => {
      await signOut();
      show(null);
      onSignedOut();
    });
    badge.append(who, out);
  };
  const show = (session: Session | null) => {
    current = session;
    form.hidden = session !== null;
    document.body.classList.toggle("signed-in", session !== null);
    renderBadge();
    if (!session) input.focus();
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    const result = await signIn(input.value.trim());
    if (result.session) {
      input.value = "";
      show(result.session);
      onSession(result.session);
    } else {
      error.textContent = result.error ?? "";
    }
  });
  onUnauthorized(() => {
    if (current) {
      show(null);
      error.textContent = t("session.expired");
      onSignedOut();
    }
  });
  onLangChange(renderBadge);

  const session = await whoAmI();
  show(session);
  if (session) onSession(session);
}
