/**
 * A form for a mutation's input, drawn from the schema digest: text, numbers, enums as selects, booleans as
 * check boxes, times as datetime-local in the business zone (labelled; sent as instants), department and customer ids as selects of the
 * lists the API gives; nested inputs and lists as JSON. Values are sent as typed; the server judges them.
 */
import { useEffect, useState } from 'preact/hooks';
import { gql } from './api';
import { fieldLabel, t } from './i18n';
import { schema, type FieldRef } from './schema';
import { zonedToInstant, zoneLabel } from './format';

type Options = { departments: Array<{ id: string; name: string }>; customers: Array<{ id: string; name: string }> };
let optionsPromise: Promise<Options> | null = null;
function loadOptions(): Promise<Options> {
  optionsPromise ??= gql('{ departments { id name active } customers { id name } }')
    .then(({ data }) => ({ departments: data.departments.filter((d: { active: boolean }) => d.active), customers: data.customers }))
    .catch(() => ({ departments: [], customers: [] }));
  return optionsPromise;
}
export const resetOptions = () => (optionsPromise = null);

const LONG = /(description|reason|comment|note|text|answer|summary|remedy|cause|question)$/i;

export type Values = Record<string, string | boolean>;

/** The typed input of the form's values; throws on JSON that does not parse. */
export function toInput(fields: FieldRef[], values: Values): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const f of fields) {
    const raw = values[f.name];
    if (f.type === 'Boolean' && !f.list) {
      if (raw !== undefined) input[f.name] = Boolean(raw);
      continue;
    }
    const text = typeof raw === 'string' ? raw.trim() : '';
    if (text === '') {
      if (f.required) input[f.name] = f.type === 'Int' || f.type === 'Float' ? null : '';
      continue;
    }
    if (f.list || f.kind === 'input' || f.type === 'JSONObject') input[f.name] = JSON.parse(text);
    else if (f.type === 'Int') input[f.name] = Number.parseInt(text, 10);
    else if (f.type === 'Float') input[f.name] = Number(text);
    else if (f.type === 'DateTimeISO') input[f.name] = zonedToInstant(text); // typed in the business zone, as times are shown
    else input[f.name] = text;
  }
  return input;
}

export function FieldInput({ field, value, onChange }: { field: FieldRef; value: string | boolean | undefined; onChange: (v: string | boolean) => void }) {
  const [options, setOptions] = useState<Options | null>(null);
  const isDepartment = /departmentId$/i.test(field.name) && !field.list;
  const isCustomer = field.name === 'customerId' && !field.list;
  useEffect(() => {
    if (isDepartment || isCustomer) void loadOptions().then(setOptions);
  }, [isDepartment, isCustomer]);
  const str = typeof value === 'string' ? value : '';
  const set = (e: Event) => onChange((e.target as HTMLInputElement).value);
  if (field.type === 'Boolean' && !field.list) return <input type="checkbox" name={field.name} checked={Boolean(value)} onChange={(e) => onChange((e.target as HTMLInputElement).checked)} />;
  if (field.kind === 'enum' && !field.list)
    return (
      <select name={field.name} value={str} onChange={set}>
        <option value="">—</option>
        {(schema.enums[field.type] ?? []).map((v) => (
          <option value={v}>{v}</option>
        ))}
      </select>
    );
  if ((isDepartment || isCustomer) && options) {
    const list = isDepartment ? options.departments : options.customers;
    return (
      <select name={field.name} value={str} onChange={set}>
        <option value="">—</option>
        {list.map((o) => (
          <option value={o.id}>{o.name}</option>
        ))}
      </select>
    );
  }
  if (field.type === 'DateTimeISO')
    return (
      <span class="zoned">
        <input type="datetime-local" name={field.name} value={str} onInput={set} /> <small class="muted zone" data-zone>{zoneLabel()}</small>
      </span>
    );
  if (field.type === 'Int' || field.type === 'Float') return <input type="number" step={field.type === 'Int' ? '1' : '0.01'} name={field.name} value={str} onInput={set} />;
  if (field.list || field.kind === 'input' || field.type === 'JSONObject' || LONG.test(field.name))
    return <textarea name={field.name} rows={field.list || field.kind === 'input' ? 4 : 2} placeholder={field.list || field.kind === 'input' ? 'JSON' : ''} value={str} onInput={set} />;
  return <input type="text" name={field.name} value={str} onInput={set} />;
}

export function Fields({ fields, values, setValues }: { fields: FieldRef[]; values: Values; setValues: (v: Values) => void }) {
  return (
    <>
      {fields.map((f) => (
        <label key={f.name} class="field" data-field={f.name}>
          <span>
            {fieldLabel(f.name)} {f.required && <em class="muted">({t('requiredMark')})</em>}
          </span>
          <FieldInput field={f} value={values[f.name]} onChange={(v) => setValues({ ...values, [f.name]: v })} />
          {f.description && <small class="muted">{f.description}</small>}
        </label>
      ))}
    </>
  );
}

/** Why the server refused what a form sent (its userErrors, one per line); nothing when there is no refusal. */
export function Refusal({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <div class="refusal" role="alert" data-testid="refusal">
      <strong>{t('refused')}</strong>
      <pre>{text}</pre>
    </div>
  );
}
