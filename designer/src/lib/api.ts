// The typed API client: openapi-fetch over the types openapi-typescript generates from src/api/openapi.json
// (the server's own OpenAPI document). Requests go with the session cookie and the anti-forgery header the
// server requires of cookie-authenticated changes; the token never sits in script-readable storage.
import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "../api/schema";
import { t } from "./i18n";

export const csrfHeader = "X-PE-CSRF";

export const api = createClient<paths>({
  baseUrl: location.origin,
  credentials: "same-origin",
  headers: { [csrfHeader]: "1" },
});

const unauthorizedListeners: Array<() => void> = [];

/** Called when an API call answers 401 (session expired, user removed, token reset). */
export function onUnauthorized(listener: () => void): void {
  unauthorizedListeners.push(listener);
}

const watch: Middleware = {
  onResponse({ request, response }) {
    if (response.status === 401 && !new URL(request.url).pathname.startsWith("/api/session")) {
      for (const listener of unauthorizedListeners) listener();
    }
    return undefined;
  },
};
api.use(watch);

/** What the server said went wrong, in the page's language where the server gives it (title/reason) and the detail. */
export function problemText(status: number, body: unknown): string {
  if (status === 403) return t("error.forbidden");
  if (status === 401) return t("session.expired");
  const b = (body ?? {}) as { title?: string; detail?: string; reason?: string; error?: string };
  const said = b.reason ?? b.title ?? b.error ?? b.detail;
  return said ? String(said) : t("error.status", { status });
}

/** Sends a YAML text as the body (the definition endpoints read the raw text). */
export const yamlBody = {
  body: "" as never,
  bodySerializer: (text: unknown) => text as string,
  headers: { "Content-Type": "application/yaml" },
};

export const asYaml = (text: string) => ({ ...yamlBody, body: text as never });
