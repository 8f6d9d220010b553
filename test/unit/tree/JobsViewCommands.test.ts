// Filter Jobs… as a keyboard user drives it: the text is applied once typing pauses (an injected timer, no wall
// time), the checkboxes at once, Enter keeps the filter, Escape puts the previous one back; the view's message says
// what is shown, and the query is kept in workspace state.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Emitter } from '../../../src/core/events/Emitter';
import { JobStore } from '../../../src/core/jobs/JobStore';
import { InMemoryKeyValueStore } from '../../../src/core/jobs/KeyValueStore';
import { simulacrumJob, signedInSimulacrum } from '../../support/jobsFixture';
import { registerVscodeStandIn } from '../../support/registerVscodeStandIn';

let tree: typeof import('../../../src/ui/tree/JobsTreeDataProvider');
let commands: typeof import('../../../src/ui/tree/JobsViewCommands');
let standIn: typeof import('../../support/vscodeStandIn');

before(async () => {
  registerVscodeStandIn();
  tree = await import('../../../src/ui/tree/JobsTreeDataProvider.js');
  commands = await import('../../../src/ui/tree/JobsViewCommands.js');
  standIn = await import('../../support/vscodeStandIn.js');
});

/** A timer that runs only when the test says time has passed. */
class ManualTimer {
  private pending = new Map<number, { run: () => void; at: number }>();
  private next = 1;
  now = 0;
  set(run: () => void, ms: number): unknown {
    const handle = this.next++;
    this.pending.set(handle, { run, at: this.now + ms });
    return handle;
  }
  clear(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  advance(ms: number): void {
    this.now += ms;
    for (const [handle, entry] of [...this.pending].sort((a, b) => a[1].at - b[1].at)) {
      if (entry.at > this.now) continue;
      this.pending.delete(handle);
      entry.run();
    }
  }
}

interface FakeItem {
  readonly filter: string;
  readonly label: string;
}

/** What createQuickPick answers: the fields the command sets, and a way to type, check, accept and escape. */
class FakeQuickPick {
  items: FakeItem[] = [];
  selectedItems: FakeItem[] = [];
  value = '';
  title = '';
  placeholder = '';
  canSelectMany = false;
  private readonly value$ = new Emitter<string>();
  private readonly selection$ = new Emitter<FakeItem[]>();
  private readonly accept$ = new Emitter<void>();
  private readonly hide$ = new Emitter<void>();
  onDidChangeValue = this.value$.event;
  onDidChangeSelection = this.selection$.event;
  onDidAccept = this.accept$.event;
  onDidHide = this.hide$.event;
  show(): void {}
  hide(): void {
    this.hide$.fire();
  }
  dispose(): void {}
  type(text: string): void {
    this.value = text;
    this.value$.fire(text);
  }
  check(label: string): void {
    this.selectedItems = [...this.selectedItems, this.items.find((item) => item.label === label) as FakeItem];
    this.selection$.fire(this.selectedItems);
  }
  enter(): void {
    this.accept$.fire();
  }
}

function setup() {
  const store = new JobStore();
  store.replaceAll('simulacrum', [
    simulacrumJob('render-a', { status: 'failed', createdAt: '2026-04-05T12:02:00Z' }),
    simulacrumJob('render-b', { status: 'succeeded', createdAt: '2026-04-05T12:01:00Z' }),
    simulacrumJob('train-c', { status: 'succeeded', createdAt: '2026-04-05T12:00:00Z' }),
  ]);
  const jobsTree = new tree.JobsTreeDataProvider(signedInSimulacrum(), store, () => Date.parse('2026-04-05T13:00:00Z'));
  const view = { message: undefined as string | undefined, visible: true, onDidChangeSelection: () => ({ dispose() {} }), reveal: async () => undefined };
  const state = new InMemoryKeyValueStore();
  const timer = new ManualTimer();
  const contextKeys = { filtered: false, setJobsFiltered(value: boolean) { this.filtered = value; return Promise.resolve(); } };
  const controller = new commands.JobsViewCommands(jobsTree, view as never, state, contextKeys as never, timer);
  const pick = new FakeQuickPick();
  standIn.window.createQuickPick = () => pick;
  return { jobsTree, view, state, timer, contextKeys, controller, pick };
}

describe('Filter Jobs…', () => {
  it('applies typed text once typing pauses, not per key, and Enter keeps it', async () => {
    const { jobsTree, view, state, timer, contextKeys, controller, pick } = setup();
    const done = controller.filter();
    let redraws = 0;
    jobsTree.onDidChangeTreeData(() => (redraws += 1));
    for (const text of ['r', 're', 'ren', 'rend', 'render']) {
      pick.type(text);
      timer.advance(commands.TEXT_DEBOUNCE_MS - 1);
    }
    assert.equal(redraws, 0, 'nothing redrawn while keys come faster than the pause');
    assert.equal(jobsTree.view.query.text, '');
    timer.advance(1);
    assert.equal(redraws, 1);
    assert.equal(jobsTree.view.query.text, 'render');
    timer.advance(0);
    assert.equal(view.message, '"render" — 2 of 3');
    pick.check('Failed');
    assert.equal(jobsTree.view.counts().matching, 1, 'a checkbox applies at once');
    pick.enter();
    await done;
    assert.equal(view.message, 'failed · "render" — 1 of 3');
    assert.equal(contextKeys.filtered, true);
    assert.deepEqual(state.get(commands.QUERY_STATE_KEY), { filters: ['failed'], text: 'render', sort: 'newest' });
    assert.deepEqual(commands.storedQuery(state), { filters: ['failed'], text: 'render', sort: 'newest' });
  });

  it('Escape puts back the filter from before', async () => {
    const { jobsTree, view, timer, controller, pick } = setup();
    const done = controller.filter();
    pick.type('train');
    timer.advance(commands.TEXT_DEBOUNCE_MS);
    assert.equal(jobsTree.view.counts().matching, 1);
    pick.hide();
    await done;
    assert.equal(jobsTree.view.query.text, '');
    timer.advance(0);
    assert.equal(view.message, undefined);
  });
});
