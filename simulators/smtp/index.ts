export { startSmtpPeer, type SmtpPeer, type SmtpPeerOptions, type StoredMail, type StoredAttachment } from './smtp-peer.js';
