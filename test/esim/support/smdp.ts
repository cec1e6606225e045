// The stand-in SM-DP+ lives with the other peers in scripts/peers, shared with the integrations demo.
export * from '../../../scripts/peers/smdp.ts';
