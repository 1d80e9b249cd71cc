export { EICAR, startClamdPeer, type ClamdPeer, type ClamdPeerOptions } from './clamd-peer.js';
