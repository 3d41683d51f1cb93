// One node of an aedes cluster for scripts/fleet.sh --cluster aedes: aedes
// with its persistence (sessions, retained, subscriptions) and its message
// emitter in a shared Redis, so that any node serves any client. Works with
// the aedes 1.x line (Node.js >= 20) and the 0.x line (Node.js 18), as
// installed by `scripts/setup.sh --fleet` into LYKTA_FLEET_PREFIX.
// Usage: node aedes_node.mjs --port P --redis-port R [--prefix DIR] [--id NAME]
import net from 'node:net'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) =>
  a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs, []))
const prefix = args.prefix || process.env.LYKTA_FLEET_PREFIX || '/opt/lykta-fleet'
const require = createRequire(prefix + '/package.json')
const redis = { host: '127.0.0.1', port: Number(args['redis-port']) }

const persistence = require('aedes-persistence-redis')(redis)
// No ioredis ready check on the emitter's connections: its INFO can race the
// emitter's first SUBSCRIBE, and ioredis 5 then fails the connection ("Connection
// in subscriber mode"), which killed 0.x-line nodes at start on a loaded machine.
const mq = require('mqemitter-redis')({ ...redis, enableReadyCheck: false })
const aedesModule = await import(pathToFileURL(require.resolve('aedes')).href)
const options = { id: args.id || `aedes-${args.port}`, persistence, mq }
const broker = aedesModule.Aedes
  ? await aedesModule.Aedes.createBroker(options)   // 1.x
  : (aedesModule.default || aedesModule)(options)    // 0.x: a factory function

const server = net.createServer((socket) => {
  socket.setNoDelay(true)  // see docs/scaling.md, "Turn Nagle off on the broker"
  broker.handle(socket)
})
server.listen(Number(args.port), '127.0.0.1', () => console.log(`aedes listening 127.0.0.1:${args.port}`))
const stop = () => { server.close(); broker.close(() => process.exit(0)) }
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
