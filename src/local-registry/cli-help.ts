/** The `--help` text of the local registry CLI. */
export const HELP = `Usage: node dist/local-registry/index.js [options]

Runs a local stand-in for the Pulumi Cloud registry: an API origin with the
registry endpoints (packages and templates, stable and preview routes) and a
storage origin serving pre-signed upload and download URLs. It runs until
SIGINT or SIGTERM.

Server:
  --host H                  address to listen on (default 127.0.0.1)
  --port N                  API port (default 0: any free port)
  --storage-port N          storage port (default 0: any free port)
  --token T                 accepted access token; repeatable
                            (default: one random pul-local-... token)
  --data-dir DIR            keep versions and artifacts in DIR across restarts
  --page-size N             most entries per list page (default 100)
  --upload-url-ttl SECONDS  lifetime of pre-signed upload URLs (default 900)
  --required-header "N: V"  header every upload must carry; repeatable
  --no-stable-routes        answer 404 on /api/registry/...
  --no-preview-routes       answer 404 on /api/preview/registry/...

Faults (deterministic for a seed):
  --seed N                  PRNG seed (default 0)
  --error-rate R            share (0..1) of answers replaced by 500/502/503
  --rate-limit-rate R       share answered 429 with Retry-After
  --reset-rate R            share of connections dropped without answer
  --latency-ms N            latency added to every request
  --commit-then-drop-rate R share of completes stored, then left unanswered
  --fault-routes LIST       comma-separated routes the faults target:
                            start,upload,complete,get,list,delete (default all)

OIDC token exchange (POST /api/oauth/token):
  --oidc-id-token T         the ID token the exchange accepts
  --oidc-organization O     audience must be urn:pulumi:org:O
  --oidc-default-organization O
                            answer of GET /api/user/organizations/default

Output:
  --json                    print one JSON line {"apiUrl","storageUrl","token"}
                            on stdout when ready; everything else on stderr
  -h, --help                show this help

Admin endpoints on the API origin (need a valid token, not recorded):
  POST /_admin/faults       replace the faults (JSON, same fields as above)
  GET  /_admin/requests     every request received so far
`;
