/**
 * The identity provider's storage (oidc-provider's adapter interface), in memory, per provider.
 * Clients are read from the live registration map, so a client registered after start (Bankgraph,
 * whose port is known only once it listens) is found; everything else (sessions, interactions,
 * codes, grants) expires with the lifetime the provider gives it.
 */
import type { Adapter, AdapterPayload } from "oidc-provider";

interface Entry {
  payload: AdapterPayload;
  expiresAt: number | undefined;
}

export function idpAdapterFactory(clientMetadata: (id: string) => AdapterPayload | undefined): (model: string) => Adapter {
  const stores = new Map<string, Map<string, Entry>>();
  return (model: string): Adapter => {
    const store = stores.get(model) ?? new Map<string, Entry>();
    stores.set(model, store);
    const live = (id: string) => {
      const entry = store.get(id);
      if (entry?.expiresAt !== undefined && entry.expiresAt <= Date.now()) store.delete(id);
      return store.get(id)?.payload;
    };
    const findWhere = (match: (p: AdapterPayload) => boolean) => [...store.keys()].map(live).find((p) => p && match(p));
    return {
      async upsert(id, payload, expiresIn) {
        store.set(id, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined });
      },
      async find(id) {
        return model === "Client" ? clientMetadata(id) : live(id);
      },
      async findByUid(uid) {
        return findWhere((p) => p.uid === uid);
      },
      async findByUserCode(userCode) {
        return findWhere((p) => p.userCode === userCode);
      },
      async consume(id) {
        const payload = live(id);
        if (payload) payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        store.delete(id);
      },
      async revokeByGrantId(grantId) {
        for (const [id, entry] of store) if (entry.payload.grantId === grantId) store.delete(id);
      },
    };
  };
}
