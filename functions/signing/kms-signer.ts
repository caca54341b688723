import { createPublicKey } from 'node:crypto';
import { GetPublicKeyCommand, type KMSClient, SignCommand } from '@aws-sdk/client-kms';
import type { CheckpointSigner } from '../domain/checkpoint.js';
import { derToRawSignature } from '../domain/ecdsa-signature.js';
import { ecPublicJwk, keyId, type PublishedKey } from '../domain/jwks.js';

/**
 * A signer over an AWS KMS key (ECC_NIST_P256, SIGN_VERIFY): the private key never leaves
 * KMS. KMS hashes the message itself (MessageType RAW, ECDSA_SHA_256) and answers DER,
 * which JWS's ES256 does not accept as is.
 */
export async function kmsSigner(client: Pick<KMSClient, 'send'>, keyArn: string): Promise<CheckpointSigner> {
  return {
    ...(await kmsPublicKey(client, keyArn)),
    async sign(signingInput) {
      const { Signature } = await client.send(
        new SignCommand({ KeyId: keyArn, Message: signingInput, MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' }),
      );
      if (Signature === undefined) throw new Error(`KMS returned no signature for ${keyArn}`);
      return derToRawSignature(Signature);
    },
  };
}

/**
 * A KMS key's public half as the JWKS publishes it (kms:GetPublicKey only): the current
 * key's, and each retired key's, which stays in KMS (retained) so that its checkpoints
 * keep verifying after a rotation.
 */
export async function kmsPublicKey(client: Pick<KMSClient, 'send'>, keyArn: string): Promise<PublishedKey> {
  const key = await client.send(new GetPublicKeyCommand({ KeyId: keyArn }));
  if (key.KeySpec !== 'ECC_NIST_P256' || key.KeyUsage !== 'SIGN_VERIFY' || key.PublicKey === undefined)
    throw new Error(`the KMS key ${keyArn} is ${key.KeySpec ?? '?'} for ${key.KeyUsage ?? '?'}, not ECC_NIST_P256 for SIGN_VERIFY`);
  const publicJwk = ecPublicJwk(
    createPublicKey({ key: Buffer.from(key.PublicKey), format: 'der', type: 'spki' }).export({ format: 'jwk' }),
  );
  return { kid: await keyId(publicJwk), publicJwk };
}
