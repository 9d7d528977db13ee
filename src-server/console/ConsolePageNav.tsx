/** The console's pages in its header (helpers and admins): the request queue, people, insights, team settings. */

/** A page of the console. */
export type ConsolePage = 'queue' | 'people' | 'insights' | 'settings';

const PAGES: Array<{ page: ConsolePage; label: string }> = [
  { page: 'queue', label: 'Requests' },
  { page: 'people', label: 'People' },
  { page: 'insights', label: 'Insights' },
  { page: 'settings', label: 'Team settings' },
];

/** Buttons that switch the console's page; the current one is marked for assistive technology too. */
export function ConsolePageNav({ page, onPage }: { page: ConsolePage; onPage: (page: ConsolePage) => void }) {
  return (
    <nav className="console-nav" aria-label="Console pages">
      {PAGES.map((entry) => (
        <button
          key={entry.page}
          type="button"
          className={page === entry.page ? 'active' : ''}
          aria-current={page === entry.page ? 'page' : undefined}
          onClick={() => onPage(entry.page)}
          data-testid={`nav-${entry.page}`}
        >
          {entry.label}
        </button>
      ))}
    </nav>
  );
}
