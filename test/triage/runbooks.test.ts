import { describe, expect, it } from 'vitest';
import { CatalogError, loadCatalog, parseOwnershipYaml } from '../../src/triage/index.js';
import { catalogFixture, ownFixture } from './helpers/paths.js';

const runbooks = () => loadCatalog({ catalog: [ownFixture('runbooks/artist-web.yaml')], ownership: [ownFixture('runbooks/ownership.yaml')] });

describe('runbooks from the catalog', () => {
  it('reads Backstage links typed or titled as a runbook, then ownership.yaml, and skips the other links', async () => {
    const catalog = await runbooks();
    expect(catalog.runbooksOf('artist-web')).toEqual([
      { label: 'On-call guide', url: 'https://wiki.example-org.com/ops/artist-web' },
      { label: 'CDN failover runbook', url: 'https://wiki.example-org.com/ops/artist-web/cdn-failover' },
      { label: 'Runbook', url: 'https://runbooks.example-org.com/artist-web' },
    ]);
  });

  it('finds a service by its trace name, and shows a URL given by both the annotation and a link once', async () => {
    const catalog = await runbooks();
    expect(catalog.runbooksOf('artistweb').map((l) => l.url)).toContain('https://wiki.example-org.com/ops/artist-web');
    expect(catalog.runbooksOf('artist-search')).toEqual([{ label: 'Runbook', url: 'https://wiki.example-org.com/ops/artist-search' }]);
  });

  it('matches ownership.yaml runbook globs, and a service nobody documented has none', async () => {
    const catalog = await runbooks();
    expect(catalog.runbooksOf('payments-api').map((l) => l.url)).toEqual(['https://runbooks.example-org.com/payments', 'https://wiki.example-org.com/ops/artist-web']);
    expect(catalog.runbooksOf('nobody-knows-me')).toEqual([]);
    // The real Backstage example has links (Dashboard, Support, …) but none is a runbook.
    expect((await loadCatalog({ catalog: [catalogFixture()] })).runbooksOf('artist-lookup')).toEqual([]);
  });

  it('keeps ownership files without runbooks valid, and names the service of a runbook that is not a web link', () => {
    expect(parseOwnershipYaml('services:\n  a: team-a\n', 'ownership.yaml').runbooks).toEqual({});
    expect(() => parseOwnershipYaml('runbooks:\n  user-directory: "see the wiki"\n', 'ownership.yaml')).toThrow(CatalogError);
    expect(() => parseOwnershipYaml('runbooks:\n  user-directory: "see the wiki"\n', 'ownership.yaml')).toThrow(/runbooks\.user-directory/);
  });
});
