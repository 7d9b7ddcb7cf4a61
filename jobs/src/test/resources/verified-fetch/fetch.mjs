// A real trustless-gateway client: @helia/verified-fetch fetches ipfs://CID from the one gateway
// given, verifying every block against its CID, and this script prints what it got:
//   node fetch.mjs TOOLS_DIR GATEWAY_URL CID
// TOOLS_DIR is where deploy/local/install-tools.sh installed @helia/verified-fetch (and Node 22,
// which it needs). Output: one JSON line {"status", "size", "sha256"} (sha256 of the body, hex).
//
// verified-fetch runs on an HTTP-only Helia node (its documented "customized Helia" setup: no
// libp2p, no delegated routers) whose one content router names the gateway as the provider of
// every CID. Why not simpler: createVerifiedFetch({ gateways: [URL] }) adds the gateway as a
// *fallback* router, asked only after the default routers (libp2p's) finish, which on a machine
// without peers they do not before the request times out; and with no default router at all,
// Helia's findProviders never finishes (it waits for "all routers finished" among zero).
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const [toolsDir, gateway, cid] = process.argv.slice(2)
if (!toolsDir || !gateway || !cid) {
  console.error('usage: node fetch.mjs TOOLS_DIR GATEWAY_URL CID')
  process.exit(2)
}

/** Imports an installed ESM package by name from TOOLS_DIR/node_modules. */
async function load (name) {
  const dir = join(toolsDir, 'node_modules', ...name.split('/'))
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  const exp = pkg.exports['.']
  const entry = typeof exp === 'string' ? exp : (exp.import?.default ?? exp.import ?? exp.default)
  return import(pathToFileURL(join(dir, entry)).href)
}

const { createVerifiedFetch } = await load('@helia/verified-fetch')
const { createHeliaLight } = await load('helia')
const { withHTTP } = await load('@helia/http')
const { fallbackRouter } = await load('@helia/fallback-router')

// A loopback http:// gateway is filtered out unless insecure and local addresses are allowed.
const helia = withHTTP(createHeliaLight(), {
  delegatedRouters: [],
  recursiveGateways: [],
  allowInsecure: true,
  allowLocal: true
})
const gatewayProvider = fallbackRouter({ gateways: [gateway] })
helia.addRouter({
  name: 'gateway-router',
  findProviders: (key, options) => gatewayProvider.findProviders(key, options)
})
await helia.start()
const vf = await createVerifiedFetch(helia)
let code = 0
try {
  const timeout = Number(process.env.VF_TIMEOUT_MS ?? 120000)
  const r = await vf(`ipfs://${cid}`, { signal: AbortSignal.timeout(timeout) })
  const body = new Uint8Array(await r.arrayBuffer())
  const sha256 = createHash('sha256').update(body).digest('hex')
  console.log(JSON.stringify({ status: r.status, size: body.length, sha256 }))
} catch (e) {
  console.error(`verified-fetch ipfs://${cid} via ${gateway}: ${e?.stack ?? e}`)
  code = 1
} finally {
  await vf.stop().catch(() => {})
  await helia.stop().catch(() => {})
}
process.exit(code)
