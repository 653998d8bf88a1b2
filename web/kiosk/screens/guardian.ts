/**
 * A minor's guardian: when the customer's document shows someone under the operator's minor age,
 * the guardian present at the counter is verified and recorded before the registration goes on.
 * Three screens: the guardian's document (web/shared/document-entry.ts) and relation; their own
 * live check (web/shared/live-check.ts, a challenge of purpose 'guardian'), after which the server
 * matches their document photo against it and records them; the result in plain words. A store
 * manager may instead verify the guardian in person. The guardian's document stays in the page's
 * memory only until the server has recorded them; from then on only its masked form is shown.
 */
import { h } from '../../shared/dom.ts';
import { ApiError, idempotencyKey } from '../../shared/api.ts';
import { documentEntry, type DocumentBody } from '../../shared/document-entry.ts';
import { Notice } from '../../shared/problems.ts';
import { maskDocumentNumber, maskName } from '../../../src/privacy/mask.ts';
import type { GuardianEntry, GuardianState, Kiosk, RegistrationView } from '../kiosk.ts';
import { cancelButton } from './document.ts';
import { continueRegistration } from '../resume.ts';
import { MAX_CHALLENGES, documentSummary, kioskLiveCheck, livenessRefusal } from './shared.ts';

/** Refusals of the guardian's document itself: the agent corrects it, and a passed live check is kept for it. */
const DOCUMENT_REFUSALS = new Set(['document.invalid', 'registration.guardian_same_person', 'policy.guardian_not_adult', 'request.invalid']);

type Method = 'face' | 'manual_review';

function guardianState(k: Kiosk): GuardianState {
  k.state.guardian ??= {};
  return k.state.guardian;
}

const isManager = (k: Kiosk) => k.state.session?.staff.role === 'store_manager';

/** The guardian's document, masked, with the relation: what the guardian screens show of them. */
function guardianLine(k: Kiosk, g: GuardianState): HTMLElement | null {
  const s = g.shown;
  if (!s) return null;
  return h('p', { class: 'docline guardian-line' },
    h('span', { class: 'tag' }, k.t('guardian.line', { relation: k.t(`guardian.relation.${s.relation}`) })),
    h('span', { class: 'tag' }, k.i18n.maybe(`doctype.${s.type}`) ?? s.type),
    h('span', { class: 'mono' }, s.maskedNumber), h('span', null, s.maskedName));
}

/**
 * Records the guardian: by face with their passed session (their document photo against its best
 * frame), or in person by the store manager. The server checks the document first; a refusal of the
 * document leaves the passed session unused, so the agent corrects the document without a new check.
 */
async function record(k: Kiosk, method: Method): Promise<void> {
  const g = guardianState(k), e = g.entry;
  const id = k.state.registration!.id;
  if (!e) { k.go('guardian'); return; }
  const body = {
    document: e.document, relation: e.relation, method,
    ...(method === 'face' ? { idPhoto: e.idPhoto, livenessSessionId: g.passedSession } : {}),
  };
  const answer = await k.busy(k.t('guardian.busy'), () => k.api.request<RegistrationView>('POST', `/v1/registrations/${id}/guardian`, body, { idempotencyKey: idempotencyKey('guardian') })
    .then((view) => ({ view }), (error: unknown) => ({ error })));
  if (!answer) return;
  if ('view' in answer) {
    k.state.registration = answer.view;
    // recorded: the guardian's document is not needed any more; only its masked form stays on the screen
    delete g.entry;
    delete g.passedSession;
    g.outcome = { kind: 'recorded' };
    k.go('guardian_result');
    return;
  }
  const code = answer.error instanceof ApiError ? answer.error.code : '';
  if (code === 'verification.failed') {
    delete g.passedSession;
    g.outcome = { kind: 'no_match' };
    k.go('guardian_result');
  } else if (DOCUMENT_REFUSALS.has(code)) {
    k.go('guardian');
    k.problem(answer.error);
  } else if (code === 'liveness.required') { // the kept session passed too long ago, or is gone: a new live check
    delete g.passedSession;
    k.go('guardian_camera');
    k.problem(answer.error);
  } else {
    k.problem(answer.error);
  }
}

/** The guardian's document and relation (and, for a store manager, how the guardian is verified). */
export function guardianScreen(k: Kiosk): HTMLElement {
  const reg = k.state.registration!;
  const g = guardianState(k);
  const relation = (value: GuardianEntry['relation']) => h('label', { class: 'choice' },
    h('input', { type: 'radio', name: 'relation', value, checked: (g.shown?.relation ?? 'parent') === value }), k.t(`guardian.relation.${value}`));
  const relations = h('fieldset', { class: 'choices' }, h('legend', null, k.t('guardian.relation')), relation('parent'), relation('legal_guardian'));
  const method = (value: Method) => h('label', { class: 'choice' },
    h('input', { type: 'radio', name: 'method', value, checked: value === 'face' }), k.t(`guardian.method.${value}`));
  const methods = isManager(k) ? h('fieldset', { class: 'choices' }, h('legend', null, k.t('guardian.method')), method('face'), method('manual_review')) : null;
  const checked = (set: HTMLElement | null) => set?.querySelector<HTMLInputElement>('input:checked')?.value;

  function submit(body: DocumentBody): void {
    const how = (checked(methods) ?? 'face') as Method;
    if (how === 'face' && body.idPhoto === undefined) {
      k.problem(new Notice(k.t('guardian.no_photo'), k.t(isManager(k) ? 'guardian.no_photo.manager' : 'guardian.no_photo.next')));
      return;
    }
    const rel = (checked(relations) ?? 'parent') as GuardianEntry['relation'];
    g.entry = { document: body.document, source: body.source, ...(body.idPhoto !== undefined ? { idPhoto: body.idPhoto } : {}), relation: rel };
    g.shown = { type: body.document.type, maskedNumber: maskDocumentNumber(body.document.number), maskedName: maskName(body.document.name), relation: rel };
    delete g.outcome;
    if (how === 'manual_review') void record(k, 'manual_review');
    else if (g.passedSession) void record(k, 'face');
    else k.go('guardian_camera');
  }
  const host = { t: k.t, maybe: (key: string) => k.i18n.maybe(key), problem: (e: unknown) => k.problem(e), clearProblem: () => k.clearProblem(), submit };

  return h('section', { class: 'card' },
    h('h1', null, k.t('guardian.title')),
    documentSummary(k),
    h('p', { class: 'lead' }, k.t('guardian.lead', { age: reg.document?.age ?? '?' })),
    g.passedSession ? h('p', { class: 'note ok' }, k.t('guardian.kept_session')) : null,
    relations, methods,
    h('h2', { class: 'section' }, k.t('guardian.document')),
    h('p', { class: 'hint' }, k.t(isManager(k) ? 'guardian.document.help' : 'guardian.document.help_agent')),
    documentEntry(host, ['reader', 'photo', 'manual']),
    cancelButton(k));
}

/** The guardian's own live check; when live, the server matches it against their document photo and records them. */
export function guardianCameraScreen(k: Kiosk): HTMLElement {
  const g = guardianState(k);
  if (!g.entry) return guardianScreen(k); // their document first: the check is matched against its photo
  const back = h('button', { type: 'button', class: 'secondary', onclick: () => k.go('guardian') }, k.t('guardian.camera.back'));
  const check = kioskLiveCheck(k, {
    path: 'guardian/liveness', texts: { lead: 'guardian.camera.lead', capturing: 'guardian.camera.capturing' }, button: back,
    refused(reasons, maxGapMs) {
      g.outcome = { kind: 'liveness_failed', reasons, maxGapMs };
      k.go('guardian_result');
    },
    async passed(result) {
      g.passedSession = result.sessionId;
      await record(k, 'face');
    },
  });
  return h('section', { class: 'card wide' },
    h('h1', null, k.t('guardian.camera.title')),
    guardianLine(k, g),
    check,
    cancelButton(k));
}

/** What the guardian step found: recorded (go on with the registration), or why not and what to do. */
export function guardianResultScreen(k: Kiosk): HTMLElement {
  const g = guardianState(k), o = g.outcome;
  if (!o) return guardianScreen(k);
  const retry = h('button', { type: 'button', class: 'primary big', disabled: k.state.challenges >= MAX_CHALLENGES, onclick: () => k.go('guardian_camera') }, k.t('guardian.retry'));
  const fix = h('button', { type: 'button', class: 'secondary big', onclick: () => k.go('guardian') }, k.t('guardian.back'));
  const inPerson = isManager(k) && g.entry ? h('button', { type: 'button', class: 'secondary big', onclick: () => { void record(k, 'manual_review'); } }, k.t('guardian.manual')) : null;
  let ok = false, title: string, content: (HTMLElement | null)[], actions: (HTMLElement | null)[];
  switch (o.kind) {
    case 'recorded': {
      ok = true;
      title = k.t('guardian.recorded.title');
      const method = k.state.registration?.guardian?.method === 'manual_review' ? 'manual_review' : 'face';
      content = [h('p', { class: 'lead' }, k.t(`guardian.recorded.lead.${method}`))];
      actions = [h('button', { type: 'button', class: 'primary big', autofocus: true, onclick: () => continueRegistration(k, k.state.registration!) }, k.t('guardian.continue'))];
      break;
    }
    case 'liveness_failed':
      title = k.t('guardian.liveness.title');
      content = livenessRefusal(k, o.reasons, o.maxGapMs, { lead: 'guardian.liveness.lead', next: 'guardian.liveness.next', noMore: 'guardian.no_more' });
      actions = [retry, fix, inPerson];
      break;
    case 'no_match':
      title = k.t('guardian.nomatch.title');
      content = [h('p', { class: 'lead' }, k.t('guardian.nomatch.lead')), h('p', { class: 'next' }, k.t('guardian.nomatch.next'))];
      actions = [retry, fix, inPerson];
      break;
  }
  return h('section', { class: `card result ${ok ? 'pass' : 'fail'}` },
    h('div', { class: 'verdict', 'aria-hidden': 'true' }, ok ? '✓' : '✗'),
    h('h1', null, title),
    documentSummary(k),
    guardianLine(k, g),
    ...content,
    h('div', { class: 'actions' }, ...actions),
    cancelButton(k));
}
