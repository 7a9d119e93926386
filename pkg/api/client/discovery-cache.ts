import { pathNotFound } from '../status.ts';
import { groupVersionPath } from './paths.ts';

interface ApiResourceList {
  resources?: Array<{ name: string; namespaced: boolean }>;
}

/**
 * Whether a resource is namespaced, learnt from legacy discovery (`GET /api/v1`,
 * `/apis/<group>/<version>`), one request per group version, cached for the client's life.
 * Failed fetches are not cached. A plural missing from a cached document refetches it once
 * (the server may have gained the resource) before giving up with the server's 404.
 */
export class DiscoveryCache {
  private readonly docs = new Map<string, Promise<Map<string, boolean>>>();

  constructor(private readonly fetchDoc: (path: string) => Promise<unknown>) {}

  async namespaced(apiVersion: string, plural: string): Promise<boolean> {
    let known = await this.load(apiVersion, false);
    if (!known.has(plural)) known = await this.load(apiVersion, true);
    const namespaced = known.get(plural);
    if (namespaced === undefined) throw pathNotFound();
    return namespaced;
  }

  private load(apiVersion: string, refresh: boolean): Promise<Map<string, boolean>> {
    let doc = refresh ? undefined : this.docs.get(apiVersion);
    if (!doc) {
      doc = this.fetchDoc(groupVersionPath(apiVersion)).then((body) => {
        const out = new Map<string, boolean>();
        // Subresources appear as `pods/status`; only top-level resources matter for paths.
        for (const r of (body as ApiResourceList).resources ?? []) if (!r.name.includes('/')) out.set(r.name, !!r.namespaced);
        return out;
      });
      this.docs.set(apiVersion, doc);
      doc.catch(() => {
        if (this.docs.get(apiVersion) === doc) this.docs.delete(apiVersion);
      });
    }
    return doc;
  }
}
