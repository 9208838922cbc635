/**
 * A tab opened before the expert signed in again (in another tab) still carries the old session's CSRF
 * token, while the browser already sends the new session's cookie. GET /api/me answers the token of the
 * session the cookie names; when it belongs to the same user, this tab adopts it (the page's meta tag
 * and every form's _csrf field), so saving and plain forms go on as if nothing had happened. Another
 * user's session is never adopted: that tab's changes must not be sent under someone else's name.
 */
export async function renewCsrfToken(root: Document): Promise<boolean> {
  const userId = root.body.dataset.userId;
  if (!userId) return false;
  let response: Response;
  try {
    response = await fetch('/api/me', { credentials: 'same-origin', headers: { accept: 'application/json' } });
  } catch {
    return false;
  }
  if (!response.ok) return false;
  const me = (await response.json().catch(() => ({}))) as { user?: { id?: number }; csrfToken?: string };
  if (String(me.user?.id) !== userId || !me.csrfToken) return false;
  const token = me.csrfToken;
  root.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.setAttribute('content', token);
  for (const field of root.querySelectorAll<HTMLInputElement>('input[name="_csrf"]')) field.value = token;
  return true;
}

/**
 * Before a plain form (POST with _csrf) leaves an old tab, its token is brought up to date; without a
 * network the form goes as it is. Listens last (on the document), so a form whose own handler cancelled
 * the submit (a declined confirmation, the fill-in form's script) is left alone; the form is then sent
 * with submit(), which runs no handler twice, carrying the pressed button's name and value.
 */
export function renewTokensBeforeSubmit(root: Document): void {
  root.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented || !form.querySelector('input[name="_csrf"]')) return;
    event.preventDefault();
    const submitter = (event as SubmitEvent).submitter;
    void renewCsrfToken(root).finally(() => {
      if ((submitter instanceof HTMLButtonElement || submitter instanceof HTMLInputElement) && submitter.name) {
        const pressed = root.createElement('input');
        pressed.type = 'hidden';
        pressed.name = submitter.name;
        pressed.value = submitter.value;
        form.append(pressed);
      }
      form.submit();
    });
  });
}
