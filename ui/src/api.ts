/**
 * The API client of the UI: same origin as the UI (the API serves it), problem+json answers
 * turned into ApiError with the problem's detail. Signed in either with the session cookie of
 * a password sign-in (httpOnly: the browser sends it; unsafe requests carry the session's CSRF
 * token in x-csrf-token, kept in sessionStorage) or with a bearer token from sessionStorage.
 */
import { problemText } from './problem-labels';
const TOKEN_KEY = 'dossierflow.token';
const CSRF_KEY = 'dossierflow.csrf';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The CSRF token of the cookie session (set at sign-in or read from GET /auth/session), or null. */
export function getCsrf(): string | null {
  return sessionStorage.getItem(CSRF_KEY);
}

export function setCsrf(csrf: string): void {
  sessionStorage.setItem(CSRF_KEY, csrf);
}

export function clearCsrf(): void {
  sessionStorage.removeItem(CSRF_KEY);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly body: unknown,
  ) {
    super(detail);
    this.name = 'ApiError';
  }
}

export function getToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token.trim());
}

export function clearToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

export const SIGNED_OUT_EVENT = 'dossierflow:signed-out';

interface RequestOptions {
  headers?: Record<string, string>;
}

async function problemOf(res: Response): Promise<ApiError> {
  const text = await res.text();
  let body: unknown = text;
  let detail = `${res.status} ${res.statusText}`;
  try {
    body = JSON.parse(text);
    const p = body as { detail?: unknown; title?: unknown };
    if (typeof p.detail === 'string' && p.detail) detail = p.detail;
    else if (typeof p.title === 'string' && p.title) detail = p.title;
  } catch {
    if (text) detail = text.slice(0, 300);
  }
  return new ApiError(res.status, detail, body);
}

/**
 * The sign-in part of a request's headers: the bearer token, or for the session cookie (sent by the browser
 * itself) the CSRF token on every request that changes something.
 */
export function signInHeaders(method: string): Record<string, string> {
  const token = getToken();
  if (token) return { authorization: `Bearer ${token}` };
  const csrf = getCsrf();
  return !SAFE.has(method) && csrf ? { 'x-csrf-token': csrf } : {};
}

/** A 401 ends the sign-in in this tab (the session expired or was signed out elsewhere). */
export function noteSignedOut(res: Response, path: string): void {
  if (res.status !== 401 || path.startsWith('/auth/sign-in')) return;
  clearToken();
  clearCsrf();
  window.dispatchEvent(new Event(SIGNED_OUT_EVENT));
}

export async function request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers, ...signInHeaders(method) };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, credentials: 'same-origin', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  noteSignedOut(res, path);
  if (!res.ok) throw await problemOf(res);
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

export const get = <T>(path: string): Promise<T> => request<T>('GET', path);
export const post = <T>(path: string, body: unknown = {}, opts?: RequestOptions): Promise<T> => request<T>('POST', path, body, opts);

/** Downloads a file the API serves with the bearer token (an <a href> cannot send it). */
export async function download(path: string, fallbackName: string, body?: unknown): Promise<void> {
  const headers: Record<string, string> = signInHeaders(body !== undefined ? 'POST' : 'GET');
  // With a body the file is asked for with a POST (an export of a whole query, not a saved one).
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { headers, ...(body !== undefined ? { method: 'POST', body: JSON.stringify(body) } : {}) });
  if (!res.ok) throw await problemOf(res);
  const disposition = res.headers.get('content-disposition') ?? '';
  const match = /filename="([^"]+)"/.exec(disposition);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = match?.[1] ?? fallbackName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** `?key=a&key=b` for repeated query values (the API reads arrays that way). */
export function query(params: Record<string, string | number | boolean | readonly string[] | undefined>): string {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value)) for (const v of value) q.append(key, String(v));
    else q.append(key, String(value));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

export function errorText(err: unknown): string {
  // Dutch for the user whatever the API's detail says (ui/src/problem-labels.ts).
  if (err instanceof ApiError) return problemText(err.status, err.body, err.detail);
  if (err instanceof Error) return err.message;
  return String(err);
}

/**
 * POSTs a body as it is (an XML bank file, a PDF) with its own content type, with the same sign-in and problem
 * handling as `request`.
 */
export async function postBody<T>(path: string, body: BodyInit, contentType: string): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': contentType, ...signInHeaders('POST') };
  const res = await fetch(path, { method: 'POST', headers, credentials: 'same-origin', body });
  noteSignedOut(res, path);
  if (!res.ok) throw await problemOf(res);
  return (await res.json()) as T;
}

/** POSTs a file's text as it is (an XML bank file). */
export const postText = <T>(path: string, text: string, contentType: string): Promise<T> => postBody<T>(path, text, contentType);
