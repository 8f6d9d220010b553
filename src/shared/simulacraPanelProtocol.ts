/**
 * Messages between the Simulacra schema panel (`src/ui/simulacra/SchemaPanel.ts`) and its page
 * (`webview/simulacra/main.ts`). Both ends parse what they receive with these schemas and drop what fails.
 * Objects are not strict: an extra field from a newer host is ignored; the host drops a page message with a field it
 * never defined (src/ui/webview/filterPageMessage.ts), and an unknown `type`.
 */
import { z } from 'zod';
import { CleaningReport, DatasetSchema } from './datasetSchema';
import { GenerationRequest, Scenario } from './scenario';

export const SCHEMA_PANEL_VIEW_TYPE = 'simcloud.simulacra.schema';

/** Correlates a page request with the host's answer (`generationStarted`, `error`, `scenarioLoaded`…). */
const RequestId = z.string().min(1).max(100);

/** Problem codes from the API's error catalog; the host builds the docs URL from one, so the charset is closed. */
export const ErrorCode = z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/);

export const DatasetInfo = z.object({
  id: z.string().min(1).max(1000),
  displayName: z.string().max(1000),
  /** ISO timestamp after which the provider deletes the dataset. */
  retentionEndsAt: z.string().max(100).optional(),
});
export type DatasetInfo = z.infer<typeof DatasetInfo>;

/** Everything the page shows; the host sends it on every `ready` (the page reloads when the panel is re-shown). */
export const SchemaPanelData = z.object({
  dataset: DatasetInfo,
  schema: DatasetSchema,
  cleaning: CleaningReport.optional(),
  /** A scenario to load into the builder (for example, the one a previous generation used). */
  scenario: Scenario.optional(),
});
export type SchemaPanelData = z.infer<typeof SchemaPanelData>;

export const GenerationUpdate = z.object({
  requestId: RequestId.optional(),
  /** The provider's status text (processing, ready, partial, failed…): shown, not interpreted beyond `partial`. */
  status: z.string().max(100),
  rowsGenerated: z.number().int().nonnegative(),
  rowCount: z.number().int().nonnegative(),
  partial: z.boolean(),
  generationId: z.string().max(1000).optional(),
});
export type GenerationUpdate = z.infer<typeof GenerationUpdate>;

export const PanelError = z.object({
  message: z.string().max(10_000),
  code: ErrorCode.optional(),
  requestId: RequestId.optional(),
  /** The provider's request id, for support. */
  providerRequestId: z.string().max(1000).optional(),
});
export type PanelError = z.infer<typeof PanelError>;

/** Host → page. */
export const SchemaHostMessage = z.discriminatedUnion('type', [
  /** `datasetKey` is the host's opaque key for the panel; the page files its draft under it. */
  z.object({ type: z.literal('show'), datasetKey: z.string().min(1).max(1000), data: SchemaPanelData }),
  z.object({ type: z.literal('generationStarted'), requestId: RequestId }),
  z.object({ type: z.literal('generationUpdate'), update: GenerationUpdate }),
  z.object({ type: z.literal('scenarioLoaded'), requestId: RequestId, scenario: Scenario }),
  z.object({ type: z.literal('scenarioSaved'), requestId: RequestId }),
  /** A page request finished without a result (load cancelled, for example): the page re-enables its buttons. */
  z.object({ type: z.literal('requestDone'), requestId: RequestId }),
  z.object({ type: z.literal('error'), error: PanelError }),
]);
export type SchemaHostMessage = z.infer<typeof SchemaHostMessage>;

/** Page → host. */
export const SchemaPageMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('generate'), requestId: RequestId, request: GenerationRequest }),
  z.object({ type: z.literal('saveScenario'), requestId: RequestId, scenario: Scenario }),
  z.object({ type: z.literal('loadScenario'), requestId: RequestId }),
  z.object({ type: z.literal('openErrorDocs'), code: ErrorCode }),
]);
export type SchemaPageMessage = z.infer<typeof SchemaPageMessage>;

/**
 * The builder's inputs as typed (text, so a half-typed "0." survives a reload). Column and level names are kept as
 * given; the page checks them against the schema again on every render.
 */
const DraftText = z.string().max(100);
export const BuilderDraft = z.object({
  columns: z
    .array(
      z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('categorical'), column: z.string().max(1000), shares: z.array(z.object({ level: z.string().max(1000), percent: DraftText })).max(10_000) }),
        z.object({ kind: z.literal('numeric'), column: z.string().max(1000), min: DraftText, max: DraftText }),
      ]),
    )
    .max(10_000),
  rowCount: DraftText,
  format: z.enum(['csv', 'parquet']),
  seed: DraftText,
});
export type BuilderDraft = z.infer<typeof BuilderDraft>;

/** What the page keeps in `vscode.setState` (and the serializer gets back after a reload): never a secret. */
export const SchemaPageState = z.object({
  datasetKey: z.string().min(1).max(1000),
  draft: BuilderDraft.optional(),
  /** The scenario from `show` that was last loaded into the draft, so a reload does not clobber the user's edits. */
  loadedScenario: z.string().max(5_000_000).optional(),
});
export type SchemaPageState = z.infer<typeof SchemaPageState>;
