import { useEffect, useState } from 'preact/hooks';
import { useLanguage } from '../i18n/index.js';
import { FacilitatorConsole } from './facilitator-console.js';
import { GroupPage } from './groups/group-page.js';
import { MyGroup } from './groups/my-group.js';
import { Home } from './home.js';
import { JoinScreen } from './join-screen.js';
import { RoomEntry } from './room-entry.js';
import { Welcome } from './welcome.js';

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

export function App() {
  const path = usePath();
  // Every view reads its words at render; redrawing from here on a change of language redraws them all.
  useLanguage();
  if (path === '/facilitate') return <FacilitatorConsole />;
  if (path === '/join') return <JoinScreen />;
  if (path === '/welcome') return <Welcome />;
  if (path === '/group') return <MyGroup />;
  const group = /^\/facilitate\/groups\/([A-Za-z0-9_-]{6,64})$/.exec(path);
  if (group) return <GroupPage groupId={group[1]!} />;
  const room = /^\/room\/([A-Za-z0-9_-]{6,64})$/.exec(path);
  if (room) return <RoomEntry roomId={room[1]!} />;
  return <Home />;
}
