import { render } from 'preact';
import { AllExecutions } from './pages/AllExecutions';
import { Execution } from './pages/Execution';
import { Machine } from './pages/Machine';
import { MapRun } from './pages/MapRun';
import { Machines } from './pages/Machines';
import { NewMachine } from './pages/NewMachine';
import { Link, usePath } from './router';
import { AuthStatus, SignIn, useAuth } from './SignIn';
import { Studio } from './studio/Studio';
import './style.css';

function App() {
  const path = usePath();
  const auth = useAuth();
  let page;
  let m: RegExpMatchArray | null;
  if ((m = path.match(/^\/state-machines\/([^/]+)$/))) page = <Machine arn={decodeURIComponent(m[1])} />;
  else if ((m = path.match(/^\/executions\/([^/]+)$/))) page = <Execution arn={decodeURIComponent(m[1])} />;
  else if ((m = path.match(/^\/map-runs\/([^/]+)$/))) page = <MapRun arn={decodeURIComponent(m[1])} />;
  else if (path === '/executions') page = <AllExecutions />;
  else if (path === '/new') page = <NewMachine />;
  else if (path === '/studio') page = <Studio key="new" />;
  else if ((m = path.match(/^\/studio\/([^/]+)$/))) page = <Studio key={m[1]} arn={decodeURIComponent(m[1])} />;
  else if (path === '/' || path === '/state-machines') page = <Machines />;
  else page = <main><h1>Not found</h1><p><Link to="/">State machines</Link></p></main>;
  // The server turned a request away for want of credentials: sign in,
  // then show the page afresh (keyed by the sign-in, so it reloads).
  if (auth.refused) page = <SignIn reason={auth.refused} />;
  return (
    <>
      <header class="top">
        <Link to="/" class="brand">Stepwise</Link>
        <nav class="topnav" aria-label="Main">
          <Link to="/">State machines</Link>
          <Link to="/executions">Executions</Link>
          <Link to="/studio">Workflow Studio</Link>
        </nav>
        <AuthStatus accessKeyId={auth.accessKeyId} />
      </header>
      <div key={auth.refused ? 'signin' : auth.version}>{page}</div>
    </>
  );
}

render(<App />, document.getElementById('app')!);
