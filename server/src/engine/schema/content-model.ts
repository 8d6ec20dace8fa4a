import type { SchemaModel, SchemaType } from './model';

/**
 * Which elements may stand inside which, compiled from the schema models into a table of states: what the
 * tolerant parser asks to recover from a missing end tag (an <Invoice> cannot hold an <Invoice>, so one that
 * starts inside another means the first one's end tag is missing). The parser reads it before it knows the
 * dialect, so a state stands for an element's place in every dialect at once: a child is allowed where any
 * dialect allows it. States are numbered; -1 is "not declared here".
 */
export class ContentModel {
  /** Per state: the schema types of that place (one per dialect that declares it). */
  private readonly states: SchemaType[][] = [];
  private readonly byKey = new Map<string, number>();
  /** Per state: child name → state (-1: not allowed), filled as names are met. */
  private readonly transitions: Map<string, number>[] = [];
  private readonly typeIds = new Map<SchemaType, number>();
  private readonly roots = new Map<string, number>();

  constructor(private readonly models: readonly SchemaModel[]) {}

  /** The state of a root element, or -1. */
  root(name: string): number {
    let s = this.roots.get(name);
    if (s === undefined) {
      s = this.state(this.models.flatMap((m) => {
        const d = m.roots.get(name);
        return d ? [d.type.get()] : [];
      }));
      this.roots.set(name, s);
    }
    return s;
  }

  /** The state of a child element `name` inside an element in `state`, or -1 when no dialect allows it there. */
  child(state: number, name: string): number {
    if (state < 0) return -1;
    const t = this.transitions[state];
    let s = t.get(name);
    if (s === undefined) {
      const types: SchemaType[] = [];
      for (const type of this.states[state]) {
        const d = type.kind === 'complex' ? type.elements.get(name) : undefined;
        if (d) types.push(d.type.get());
      }
      s = this.state(types);
      if (t.size < 512) t.set(name, s);
    }
    return s;
  }

  private state(types: SchemaType[]): number {
    if (types.length === 0) return -1;
    const ids = [...new Set(types)].map((t) => {
      let id = this.typeIds.get(t);
      if (id === undefined) {
        id = this.typeIds.size;
        this.typeIds.set(t, id);
      }
      return id;
    });
    const key = ids.sort((a, b) => a - b).join(',');
    let s = this.byKey.get(key);
    if (s === undefined) {
      s = this.states.length;
      this.states.push([...new Set(types)]);
      this.transitions.push(new Map());
      this.byKey.set(key, s);
    }
    return s;
  }
}
