/** The USD layer formats a root stage can be (the reference's rootStageRelpath example is `scene.usd`). */
export const USD_EXTENSIONS = ['usd', 'usda', 'usdc', 'usdz'] as const;

const USD_PATH = /\.(usd|usda|usdc|usdz)$/i;
/** Names people give the stage that opens a scene, most telling first. */
const STAGE_NAMES = ['scene', 'main', 'stage', 'root', 'world', 'index'];

export function isUsdPath(relPath: string): boolean {
  return USD_PATH.test(relPath);
}

/**
 * The USD files of a bundle in the order they are offered as its root stage: shallowest first (a root stage sits at
 * the top, sublayers and references below it), then the usual stage names, then by name. The first is the suggestion.
 */
export function rootStageCandidates(relPaths: readonly string[]): string[] {
  const rank = (relPath: string) => {
    const depth = relPath.split('/').length - 1;
    const stem = (relPath.split('/').pop() ?? '').replace(USD_PATH, '').toLowerCase();
    const named = STAGE_NAMES.indexOf(stem);
    return { relPath, depth, named: named < 0 ? STAGE_NAMES.length : named };
  };
  return relPaths
    .filter(isUsdPath)
    .map(rank)
    .sort((a, b) => a.depth - b.depth || a.named - b.named || a.relPath.localeCompare(b.relPath, 'en'))
    .map((entry) => entry.relPath);
}
