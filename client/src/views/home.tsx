export function Home() {
  return (
    <main class="page page--narrow">
      <h1 class="brand">Holdspace</h1>
      <p class="lead">A quiet online room for group therapy.</p>
      <p>To join a group, open the invite link your facilitator sent you. Facilitators open the facilitator link the server printed when it started.</p>
    </main>
  );
}
