/**
 * IsaacLab tasks offered in the Start Eureka Run pick list (the reference's example is Isaac-Cartpole-v0); any other
 * registered task id can be typed. Kept free of `vscode`.
 */
export const COMMON_EUREKA_TASKS: readonly { readonly id: string; readonly about: string }[] = [
  { id: 'Isaac-Cartpole-v0', about: 'Balance a pole on a cart' },
  { id: 'Isaac-Ant-v0', about: 'Four-legged ant locomotion' },
  { id: 'Isaac-Humanoid-v0', about: 'Humanoid locomotion' },
  { id: 'Isaac-Velocity-Flat-Anymal-D-v0', about: 'ANYmal-D velocity tracking on flat ground' },
  { id: 'Isaac-Velocity-Rough-Anymal-D-v0', about: 'ANYmal-D velocity tracking on rough terrain' },
  { id: 'Isaac-Lift-Cube-Franka-v0', about: 'Franka arm lifts a cube' },
  { id: 'Isaac-Reach-Franka-v0', about: 'Franka arm reaches a target pose' },
  { id: 'Isaac-Open-Drawer-Franka-v0', about: 'Franka arm opens a cabinet drawer' },
  { id: 'Isaac-Repose-Cube-Allegro-v0', about: 'Allegro hand re-orients a cube' },
  { id: 'Isaac-Quadcopter-Direct-v0', about: 'Quadcopter flies to a goal' },
];

/** IsaacLab task names: letters, digits and `-_.:`; starting with a letter or digit. */
const TASK_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$/;

export function isTaskId(text: string): boolean {
  return TASK_ID.test(text);
}

export const EUREKA_LIMITS = {
  iterations: { min: 1, max: 50, default: 5 },
  parallelRuns: { min: 1, max: 16, default: 4 },
} as const;

/** A whole number in [min, max], or undefined. */
export function wholeNumberIn(text: string, min: number, max: number): number | undefined {
  const trimmed = text.trim();
  if (!/^-?\d+$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) && value >= min && value <= max ? value : undefined;
}
