import { z } from 'zod';
import type { SecretStore } from '../../core/accounts/CredentialRepository';
import type { Redactor } from '../../core/log/Redactor';

/** Secrets kept besides the current one, so deliveries signed before a regeneration still verify. */
const MAX_RETIRED = 2;

const storedSchema = z.object({ current: z.string().min(1), retired: z.array(z.string().min(1)).default([]) });

/**
 * The webhook signing secret, which Simulix shows once ("on your first webhook-enabled simulation request … Simulix
 * does not display it again"), in SecretStorage per API origin. Only a response that carries one writes: a later POST
 * without it never erases it. A new secret (support's regeneration) becomes current and the old one is kept as retired.
 */
export class SimulixSigningSecretRepository {
  constructor(
    private readonly secrets: SecretStore,
    private readonly redactor?: Redactor,
  ) {}

  static secretKey(origin: string): string {
    return `simcloud.simulix.webhookSigningSecret.${origin}`;
  }

  /** Call with every POST /v1/simulations answer, before anything else can fail. True when a secret was stored. */
  async keepFrom(origin: string, created: { webhook_signing_secret?: string | null }): Promise<boolean> {
    const secret = created.webhook_signing_secret;
    if (typeof secret !== 'string' || secret === '') return false;
    this.redactor?.addSecret(secret);
    const stored = await this.load(origin);
    if (stored?.current === secret) return false;
    const retired = stored ? [stored.current, ...stored.retired.filter((s) => s !== secret)].slice(0, MAX_RETIRED) : [];
    await this.secrets.store(SimulixSigningSecretRepository.secretKey(origin), JSON.stringify({ current: secret, retired }));
    return true;
  }

  /** The current secret (for "Copy Webhook Signing Secret"), or undefined. */
  async current(origin: string): Promise<string | undefined> {
    return (await this.load(origin))?.current;
  }

  /** Every secret a listener should accept: the current one first, then the retired ones. */
  async all(origin: string): Promise<string[]> {
    const stored = await this.load(origin);
    return stored ? [stored.current, ...stored.retired] : [];
  }

  /** Sets the secret by hand (the user pasted one from support); the previous one is retired. */
  async set(origin: string, secret: string): Promise<void> {
    await this.keepFrom(origin, { webhook_signing_secret: secret.trim() });
  }

  async remove(origin: string): Promise<void> {
    await this.secrets.delete(SimulixSigningSecretRepository.secretKey(origin));
  }

  private async load(origin: string): Promise<z.infer<typeof storedSchema> | undefined> {
    const raw = await this.secrets.get(SimulixSigningSecretRepository.secretKey(origin));
    if (raw === undefined) return undefined;
    try {
      const parsed = storedSchema.safeParse(JSON.parse(raw));
      if (!parsed.success) return undefined;
      for (const s of [parsed.data.current, ...parsed.data.retired]) this.redactor?.addSecret(s);
      return parsed.data;
    } catch {
      return undefined;
    }
  }
}
