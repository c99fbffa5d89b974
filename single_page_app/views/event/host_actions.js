// "Edit event" and "Delete event", offered to those config.json's permissions allow; the API has the last word.
import { h, busy, confirmAction, isBusy, say } from '../../dom.js';
import { describe, errorTypeOf } from '../../messages.js';
import { may, whoMay } from '../../permissions.js';

/**
 * @param {EventPage} page @param {HTMLElement} status the live region that says what went wrong
 * @returns {{editLink: HTMLElement, deleteButton: HTMLElement, render: () => void}}
 */
export function hostActions(page, status) {
  const { config, api, auth, signal, navigate } = page.ctx;
  const path = `/events/${encodeURIComponent(page.event.id)}`;
  const editLink = h('a', { href: `${path}/edit`, class: 'button secondary' }, 'Edit event');
  const deleteButton = h('button', { type: 'button', class: 'button secondary danger' }, 'Delete event');

  function render() {
    const user = auth.currentUser();
    const { event, gone } = page;
    editLink.hidden = gone || !may(config, user, 'updateEvent', { event });
    deleteButton.hidden = gone || !may(config, user, 'deleteEvent', { event });
  }

  async function deleteEvent() {
    if (isBusy(deleteButton)) return;
    const { event } = page;
    const confirmed = await confirmAction({
      title: 'Delete this event?',
      message: `“${event.title}” and its RSVPs and comments will be removed for everyone. This cannot be undone.`,
      confirm: 'Delete event',
    });
    if (!confirmed || signal.aborted || page.gone) return;
    const user = auth.currentUser();
    say(status, null);
    try {
      await busy(deleteButton, 'Deleting…', () => api.deleteEvent(event.id));
      if (signal.aborted) return;
      navigate('/', { flash: `“${event.title}” was deleted.` });
    } catch (error) {
      if (signal.aborted) return;
      if (errorTypeOf(error) === 'NotFound') return page.deleted();
      say(
        status,
        'error',
        describe(error, user, { Unauthorized: `Only ${whoMay(config, 'deleteEvent')} can delete this event.` }),
      );
    }
  }

  deleteButton.addEventListener('click', deleteEvent);
  return { editLink, deleteButton, render };
}
