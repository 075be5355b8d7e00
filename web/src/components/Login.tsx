import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { core, sdk } from '../api';
import { useI18n } from '../i18n';
import { signIn, signOutReason } from '../session';
import { ErrorBox } from './ErrorBox';
import { LangSwitch } from './LangSwitch';

export function Login() {
  const { t } = useI18n();
  const [tenantId, setTenant] = useState('acme');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const first = useRef<HTMLInputElement>(null);
  const reason = signOutReason();
  useEffect(() => first.current?.focus(), []);

  const login = useMutation({
    mutationFn: async () => (await sdk.login(core, { body: { tenantId, username, password } })).data,
    onSuccess: (d) =>
      signIn({ token: d.accessToken, tenantId: d.tenantId, userId: d.userId, username, role: d.role, expiresAt: Date.now() + d.expiresIn * 1000 }),
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    login.mutate();
  }

  return (
    <main className="login" id="main">
      <div className="login-top">
        <h1>{t('app.title')}</h1>
        <LangSwitch />
      </div>
      <form className="card login-card" onSubmit={submit} aria-labelledby="login-title" data-testid="login-form">
        <h2 id="login-title">{t('login.title')}</h2>
        {reason && !login.isError && (
          <p className="notice" role="status" data-testid="login-reason">
            {t(reason === 'expired' ? 'login.expired' : 'login.signedOut')}
          </p>
        )}
        <label>
          {t('login.tenant')}
          <input ref={first} name="tenantId" value={tenantId} onChange={(e) => setTenant(e.target.value)} required autoComplete="organization" />
        </label>
        <label>
          {t('login.username')}
          <input name="username" value={username} onChange={(e) => setUsername(e.target.value)} required autoComplete="username" />
        </label>
        <label>
          {t('login.password')}
          <input name="password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} required autoComplete="current-password" />
        </label>
        {login.isError && <ErrorBox error={login.error} testId="login-error" />}
        <button type="submit" className="primary" disabled={login.isPending} data-testid="login-submit">
          {login.isPending ? t('login.busy') : t('login.submit')}
        </button>
      </form>
    </main>
  );
}
