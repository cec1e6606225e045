// The throw-away PKI lives with the other peers in scripts/peers, shared with the integrations demo.
export * from '../../../scripts/peers/pki.ts';
