import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t, useLanguage } from '../i18n/index.js';

/** Move without a reload: the room's connection and media survive. */
export function navigate(path: string, replace = false): void {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}

function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    addEventListener('popstate', update);
    return () => removeEventListener('popstate', update);
  }, []);
  return path;
}

type Screen<P> = () => Promise<ComponentType<P>>;

/**
 * Each screen is its own chunk, fetched when first opened: a member on a home link loads the
 * pre-join and the room, never the console, passkeys or the group records' pages.
 */
const screens = {
  console: () => import('./facilitator-console.js').then((m) => m.FacilitatorConsole),
  join: () => import('./join-screen.js').then((m) => m.JoinScreen),
  welcome: () => import('./welcome.js').then((m) => m.Welcome),
  myGroup: () => import('./groups/my-group.js').then((m) => m.MyGroup),
  group: () => import('./groups/group-page.js').then((m) => m.GroupPage),
  room: () => import('./room-entry.js').then((m) => m.RoomEntry),
  home: () => import('./home.js').then((m) => m.Home),
};

const loaded = new Map<Screen<never>, unknown>();

function Lazy<P extends object>({ screen, props }: { screen: Screen<P>; props: P }) {
  const [, setReady] = useState(0);
  const [failed, setFailed] = useState(false);
  const View = loaded.get(screen as Screen<never>) as ComponentType<P> | undefined;
  useEffect(() => {
    if (View) return;
    let live = true;
    screen().then(
      (component) => {
        loaded.set(screen as Screen<never>, component);
        if (live) setReady((n) => n + 1);
      },
      () => live && setFailed(true),
    );
    return () => void (live = false);
  }, [screen, View]);
  if (View) return <View {...props} />;
  if (failed) {
    return (
      <main class="page page--narrow">
        <p role="alert">{t('screenFailed')}</p>
        <button type="button" class="button" onClick={() => location.reload()}>
          {t('reload')}
        </button>
      </main>
    );
  }
  return <main class="page page--narrow" aria-busy="true" />;
}

export function App() {
  const path = usePath();
  // Every view reads its words at render; redrawing from here on a change of language redraws them all.
  useLanguage();
  if (path === '/facilitate') return <Lazy screen={screens.console} props={{}} />;
  if (path === '/join') return <Lazy screen={screens.join} props={{}} />;
  if (path === '/welcome') return <Lazy screen={screens.welcome} props={{}} />;
  if (path === '/group') return <Lazy screen={screens.myGroup} props={{}} />;
  const group = /^\/facilitate\/groups\/([A-Za-z0-9_-]{6,64})$/.exec(path);
  if (group) return <Lazy screen={screens.group} props={{ groupId: group[1]! }} />;
  const room = /^\/room\/([A-Za-z0-9_-]{6,64})$/.exec(path);
  if (room) return <Lazy screen={screens.room} props={{ roomId: room[1]! }} />;
  return <Lazy screen={screens.home} props={{}} />;
}
