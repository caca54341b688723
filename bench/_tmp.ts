import { treeCosts } from './tree-costs.js';
const t0 = performance.now();
console.log(JSON.stringify(await treeCosts({ sizes: [100, 1000], samples: 20, rounds: 20 }), null, 1));
console.log((performance.now() - t0) / 1000);
