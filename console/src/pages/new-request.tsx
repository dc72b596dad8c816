/**
 * A customer files a service request: createServiceRequest, then submitServiceRequest, from one form drawn
 * from CreateServiceRequestInput (staff-only fields left out for portal users). "Save as draft" stops after
 * the creation. A refusal of either step is shown as the API words it; once a draft exists (a refused submit),
 * the form edits that draft (updateServiceRequest, then submit) rather than filing another.
 */
import { useState } from 'preact/hooks';
import { gql } from '../api';
import { t } from '../i18n';
import type { Me } from '../api';
import { schema } from '../schema';
import { Fields, Refusal, toInput, type Values } from '../input-form';
import { DocLink } from '../format';

const ORDER = ['category', 'serviceType', 'urgency', 'description', 'contactName', 'contactPhone', 'address', 'expectedFrom', 'expectedTo', 'siteDistanceKm', 'specialRequirements'];

export function NewRequestPage({ me }: { me: Me }) {
  const portal = me.roles.includes('CUSTOMER');
  const m = schema.mutations.createServiceRequest;
  const fields = (schema.inputs[m.input] ?? [])
    .filter((f) => !(portal && (/^staff only/i.test(f.description ?? '') || f.name === 'customerId' || f.name === 'channel')))
    .sort((a, b) => (ORDER.indexOf(a.name) + 1 || 99) - (ORDER.indexOf(b.name) + 1 || 99));
  const [values, setValues] = useState<Values>({});
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // the draft a refused submit left behind: the next attempt updates and submits it instead of filing another
  const [draft, setDraft] = useState<{ id: string; number: string; version: number } | null>(null);

  const file = async (submit: boolean) => {
    setBusy(true);
    setRefusal(null);
    const refused = (errors: Array<{ code: string; message: string; field?: string | null }>) => setRefusal(errors.map((u) => `${u.code}: ${u.message}${u.field ? ` (${u.field})` : ''}`).join('\n'));
    try {
      let target = draft;
      if (target) {
        const updatable = new Set((schema.inputs.UpdateServiceRequestInput ?? []).map((f) => f.name));
        const changes = Object.fromEntries(Object.entries(toInput(fields, values)).filter(([k, v]) => updatable.has(k) && v !== '' && v !== null));
        const updated = await gql('mutation Update($input: UpdateServiceRequestInput!) { updateServiceRequest(input: $input) { serviceRequest { id number version } userErrors { code message field } } }', { input: { id: target.id, expectedVersion: target.version, ...changes } });
        const payload = updated.data.updateServiceRequest;
        if (payload.userErrors.length) return refused(payload.userErrors);
        target = payload.serviceRequest as { id: string; number: string; version: number };
      } else {
        const created = await gql(`mutation File($input: ${m.input}!) { createServiceRequest(input: $input) { serviceRequest { id number version } userErrors { code message field } } }`, { input: toInput(fields, values) });
        const payload = created.data.createServiceRequest;
        if (payload.userErrors.length) return refused(payload.userErrors);
        target = payload.serviceRequest as { id: string; number: string; version: number };
      }
      setDraft(target);
      if (submit) {
        const submitted = await gql('mutation Submit($input: DocumentEventInput!) { submitServiceRequest(input: $input) { userErrors { code message field } } }', { input: { id: target.id, expectedVersion: target.version } });
        // the draft stays: this form now edits it (or its page offers SUBMIT again)
        if (submitted.data.submitServiceRequest.userErrors.length) return refused(submitted.data.submitServiceRequest.userErrors);
      }
      location.hash = `#/doc/${encodeURIComponent(target.id)}`;
    } catch (error) {
      setRefusal((error as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card new-request" data-testid="new-request" onSubmit={(e) => { e.preventDefault(); void file(true); }}>
      <h2>{t('newRequest')}</h2>
      {draft && (
        <p class="notice" role="status" data-testid="draft-kept" data-id={draft.id}>
          {t('draftKept')} <DocLink id={draft.id}>{draft.number}</DocLink>
        </p>
      )}
      <Fields fields={fields} values={values} setValues={setValues} />
      <Refusal text={refusal} />
      <div class="buttons">
        <button type="submit" class="primary" disabled={busy} data-testid="file-and-submit">
          {t('fileAndSubmit')}
        </button>
        <button type="button" disabled={busy} onClick={() => void file(false)}>
          {t('saveDraft')}
        </button>
      </div>
    </form>
  );
}
