import { render } from 'preact';
import { Execution } from './pages/Execution';
import { Machine } from './pages/Machine';
import { Machines } from './pages/Machines';
import { Link, usePath } from './router';
import './style.css';

function App() {
  const path = usePath();
  let page;
  let m: RegExpMatchArray | null;
  if ((m = path.match(/^\/state-machines\/([^/]+)$/))) page = <Machine arn={decodeURIComponent(m[1])} />;
  else if ((m = path.match(/^\/executions\/([^/]+)$/))) page = <Execution arn={decodeURIComponent(m[1])} />;
  else if (path === '/' || path === '/state-machines') page = <Machines />;
  else page = <main><h1>Not found</h1><p><Link to="/">State machines</Link></p></main>;
  return (
    <>
      <header class="top">
        <Link to="/" class="brand">Stepwise</Link>
        <span class="muted">console</span>
      </header>
      {page}
    </>
  );
}

render(<App />, document.getElementById('app')!);
