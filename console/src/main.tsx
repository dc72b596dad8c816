/** The service-desk console: sign in with a token, then the queue, a document's page, the explorer, the KPIs. */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import './styles.css';
import { ApiError, gql, ME, token, type Me } from './api';
import { getLang, roleLabel, setLang, t } from './i18n';
import { QueuePage } from './pages/queue';
import { DocumentPage } from './pages/document';
import { NewRequestPage } from './pages/new-request';
import { ExplorerPage } from './pages/explorer';
import { KpiPage } from './pages/kpi';


function useHash(): string {
  const [hash, setHash] = useState(location.hash || '#/');
  useEffect(() => {
    const onChange = () => setHash(location.hash || '#/');
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return hash;
}

function SignIn({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { data } = await gql<{ me: Me }>(ME, undefined, value.trim());
      token.set(value.trim());
      onSignedIn(data.me);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? t('tokenRefused') : (err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card sign-in" onSubmit={submit} data-testid="sign-in">
      <h2>{t('signIn')}</h2>
      <label>
        {t('tokenLabel')}
        <input name="token" type="password" autocomplete="off" value={value} onInput={(e) => setValue((e.target as HTMLInputElement).value)} required />
      </label>
      <p class="help">{t('tokenHelp')}</p>
      {error && (
        <p class="refusal" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {t('signIn')}
      </button>
    </form>
  );
}

function App() {
  const [, setLangState] = useState(getLang());
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(Boolean(token.get()));
  const hash = useHash();

  useEffect(() => {
    const signedOut = () => setMe(null);
    addEventListener('sdd-signed-out', signedOut);
    return () => removeEventListener('sdd-signed-out', signedOut);
  }, []);

  useEffect(() => {
    if (!token.get()) return;
    gql<{ me: Me }>(ME)
      .then(({ data }) => setMe(data.me))
      .catch(() => token.clear())
      .finally(() => setChecking(false));
  }, []);

  const toggleLang = () => {
    const next = getLang() === 'en' ? 'zh' : 'en';
    setLang(next);
    setLangState(next);
  };
  const signOut = () => {
    token.clear();
    setMe(null);
    location.hash = '#/';
  };

  let page;
  if (checking) page = <p>{t('loading')}</p>;
  else if (!me) page = <SignIn onSignedIn={(m) => { setMe(m); location.hash = '#/'; }} />;
  else if (hash.startsWith('#/doc/')) page = <DocumentPage key={hash} id={decodeURIComponent(hash.slice('#/doc/'.length))} />;
  else if (hash === '#/new-request') page = <NewRequestPage me={me} />;
  else if (hash === '#/explorer') page = <ExplorerPage />;
  else if (hash === '#/kpi') page = <KpiPage />;
  else page = <QueuePage me={me} />;

  const link = (to: string, label: string) => (
    <a href={to} class={hash === to ? 'active' : ''}>
      {label}
    </a>
  );
  return (
    <>
      <header>
        <h1>
          <a href="#/">{t('appTitle')}</a>
        </h1>
        {me && (
          <nav>
            {link('#/', t('queue'))}
            {me.roles.includes('CUSTOMER') && link('#/new-request', t('newRequest'))}
            {link('#/explorer', t('explorer'))}
            {link('#/kpi', t('kpi'))}
          </nav>
        )}
        <div class="who">
          {me && (
            <span data-testid="me">
              <strong>{me.name}</strong> · <span data-testid="roles">{me.roles.map(roleLabel).join(', ')}</span>
              {me.department && <> · {me.department.name}</>}
              {me.customer && <> · {me.customer.name}</>}
            </span>
          )}
          <button type="button" class="link" onClick={toggleLang} data-testid="language">
            {t('language')}
          </button>
          {me && (
            <button type="button" onClick={signOut} data-testid="sign-out">
              {t('signOut')}
            </button>
          )}
        </div>
      </header>
      <main>{page}</main>
    </>
  );
}

setLang(getLang());
render(<App />, document.getElementById('app')!);
