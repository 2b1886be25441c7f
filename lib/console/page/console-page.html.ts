/** Text for HTML content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** What the server fills into the page. */
export interface ConsolePageModel {
  path: string;
  apiPath: string;
  /** Who is signed in, and how (`clerk` or `local`). */
  signedInAs: string;
  method: string;
}

const flagSelect = (name: string, label: string, yes: string, no: string) => `
        <label>${label}
          <select name="${name}"><option value="">Any</option><option value="true">${yes}</option><option value="false">${no}</option></select>
        </label>`;

/** The console page: server-rendered shell; the script fills the views from the JSON API. */
export function renderConsolePage(model: ConsolePageModel): string {
  const path = escapeHtml(model.path);
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="referrer" content="same-origin">
  <title>Clerk console</title>
  <link rel="stylesheet" href="${path}/console.css">
  <script src="${path}/console.js" defer></script>
</head>
<body>
  <a class="skip" href="#main">Skip to content</a>
  <header>
    <h1>Clerk console</h1>
    <nav aria-label="Console sections">
      <ul>
        <li><a href="#/users" data-nav="user">Users</a></li>
        <li><a href="#/organizations" data-nav="organization">Organizations</a></li>
        <li><a href="#/webhooks" data-nav="webhooks">Webhooks</a></li>
        <li><a href="#/audit" data-nav="audit">Audit</a></li>
      </ul>
    </nav>
    <p class="who">Signed in as <strong>${escapeHtml(model.signedInAs)}</strong> (${escapeHtml(model.method)})</p>
  </header>
  <main id="main" tabindex="-1">
    <div id="console" data-api="${escapeHtml(model.apiPath)}">
      <div id="alert" role="alert" hidden></div>
      <p id="status" role="status" aria-live="polite"></p>
      <section data-view="users" aria-labelledby="users-title">
        <h2 id="users-title">Users</h2>
        <form id="user-search" class="filters" role="search" aria-label="Find users">
          <label>Search
            <input type="search" name="search" autocomplete="off" maxlength="200" placeholder="email, username, name or Clerk id" aria-describedby="search-hint">
          </label>${flagSelect('active', 'Active', 'Active', 'Inactive')}${flagSelect('staff', 'Staff', 'Staff', 'Not staff')}${flagSelect('superuser', 'Superuser', 'Superuser', 'Not superuser')}${flagSelect('hasClerkId', 'Clerk id', 'Has one', 'None')}
          <label>Created from <input type="date" name="createdFrom"></label>
          <label>Created before <input type="date" name="createdTo"></label>
          <button type="submit">Search</button>
          <span id="search-hint" class="muted">Matches the start of a word: "ada", "ada@", "user_2x".</span>
        </form>
        <div id="user-results"></div>
      </section>
      <section data-view="user" aria-label="User" hidden></section>
      <section data-view="organizations" aria-labelledby="orgs-title" hidden>
        <h2 id="orgs-title">Organizations</h2>
        <form id="org-search" class="filters" role="search" aria-label="Find organizations">
          <label>Search <input type="search" name="search" autocomplete="off" maxlength="200" placeholder="name, slug or Clerk id"></label>
          <button type="submit">Search</button>
        </form>
        <div id="org-results"></div>
      </section>
      <section data-view="organization" aria-label="Organization" hidden></section>
      <section data-view="webhooks" aria-labelledby="hooks-title" hidden>
        <h2 id="hooks-title">Webhook deliveries</h2>
        <form id="webhook-filter" class="filters" aria-label="Filter deliveries">
          <label>Outcome
            <select name="outcome"><option value="">Any (failures first)</option><option value="failed">Failed</option><option value="processed">Processed</option></select>
          </label>
          <label>Type <input type="text" name="type" autocomplete="off" maxlength="255" placeholder="user.updated"></label>
          <button type="submit">Show</button>
        </form>
        <div id="webhook-results"></div>
      </section>
      <section data-view="audit" aria-labelledby="audit-title" hidden>
        <h2 id="audit-title">Audit</h2>
        <div id="audit-results"></div>
      </section>
    </div>
  </main>
  <noscript><p>The console needs JavaScript; its data is also at <a href="${escapeHtml(model.apiPath)}/users">${escapeHtml(model.apiPath)}/users</a>.</p></noscript>
</body>
</html>
`;
}
