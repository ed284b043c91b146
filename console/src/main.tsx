import { render } from 'preact';
import { useState } from 'preact/hooks';
import { AddConnector } from './add-connector.js';
import { storedToken, storeToken } from './api.js';
import { ConnectorList, linkTo } from './connector-list.js';
import { ConnectorPage } from './connector-page.js';
import { usePath } from './router.js';
import './style.css';

function App() {
  const path = usePath();
  const page = /^\/connectors\/(.+)$/.exec(path);
  return (
    <>
      <header>
        <a class="brand" href="/" onClick={linkTo('/')}>
          Tributary
        </a>
        <nav>
          <a href="/" onClick={linkTo('/')}>
            Connectors
          </a>
          <a href="/add" onClick={linkTo('/add')}>
            Add
          </a>
          <a href="/graphql">GraphiQL</a>
        </nav>
        <TokenField />
      </header>
      <main>
        {page?.[1] ? (
          <ConnectorPage key={page[1]} name={decodeURIComponent(page[1])} />
        ) : path === '/add' ? (
          <AddConnector />
        ) : (
          <ConnectorList />
        )}
      </main>
    </>
  );
}

/** The API token (TRIBUTARY_API_TOKEN on the server), sent as a Bearer header and in connection_init. */
function TokenField() {
  const [token, setToken] = useState(storedToken());
  const [remember, setRemember] = useState(localStorage.getItem('tributary.token') !== null);
  const save = (event: Event) => {
    event.preventDefault();
    storeToken(token, remember);
    location.reload();
  };
  return (
    <form class="token" onSubmit={save}>
      <input
        name="token"
        type="password"
        placeholder="API token"
        value={token}
        onInput={(e) => setToken(e.currentTarget.value)}
      />
      <label class="inline">
        <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.currentTarget.checked)} />{' '}
        remember
      </label>
      <button type="submit">Use token</button>
    </form>
  );
}

const root = document.getElementById('app');
if (root) render(<App />, root);
