// fetch for the JSON API: the CSRF header on unsafe requests, problem+json read, a network failure told apart.

let csrfToken = null;
export const setCsrf = (token) => { if (token) csrfToken = token; };

export class NetworkError extends Error {}

// `extra` adds request headers (If-None-Match); the answer carries the response's ETag, if it has one.
export async function call(method, path, body, extra = {}) {
  const headers = { Accept: "application/json", ...extra };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["X-CSRFToken"] = csrfToken;
  let response;
  try {
    response = await fetch("/api/v1" + path, {
      method, headers, credentials: "same-origin", cache: "no-store",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new NetworkError(error.message || "network");
  }
  let data = null;
  const type = response.headers.get("Content-Type") || "";
  if (type.includes("json")) {
    try { data = await response.json(); } catch { data = null; }
  }
  if (data && data.csrf_token) setCsrf(data.csrf_token);
  return { status: response.status, data: data || {}, etag: response.headers.get("ETag") };
}

// GET /session: the online check that reaches the server (not a cached page), and a fresh CSRF token.
export async function session() {
  return call("GET", "/session");
}

export async function signIn(email, password) {
  let result = await call("POST", "/session", { email, password });
  if (result.status === 400 && result.data.code === "csrf_failed") {
    await session();
    result = await call("POST", "/session", { email, password });
  }
  return result;
}
