/**
 * The last path segment of a download link (`…/scene.usdz?X-Amz-…` → `scene.usdz`), decoded, without its query; undefined
 * when the link names none or does not parse. Not safe as a path by itself: `downloadFiles` sanitises every name.
 */
export function urlFileName(url: string): string | undefined {
  try {
    const segment = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
    return segment !== '' ? segment : undefined;
  } catch {
    return undefined;
  }
}
