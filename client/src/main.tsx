import { render } from 'preact';

function Placeholder() {
  return (
    <main>
      <h1>Holdspace</h1>
      <p>A live room for group therapy. Open your facilitator or invite link to enter a room.</p>
    </main>
  );
}

render(<Placeholder />, document.getElementById('app')!);
