// The environment a suite gives the app or a script it runs: the run's
// database and throwaway keys, with the active keys pinned so that nothing in
// .env.local can change the run.
export type RunEnvOptions = { uri: string; dbName: string; hmacKeys: string; checkpointKeys: string };

export function runEnv({ uri, dbName, hmacKeys, checkpointKeys }: RunEnvOptions): Record<string, string> {
  return {
    MONGODB_URI: uri,
    MONGODB_DB: dbName,
    LEDGERLINE_HMAC_KEYS: hmacKeys,
    LEDGERLINE_HMAC_ACTIVE_KEY: "",
    LEDGERLINE_CHECKPOINT_KEYS: checkpointKeys,
    LEDGERLINE_CHECKPOINT_ACTIVE_KEY: "",
  };
}
