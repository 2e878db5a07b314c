// The YAML editor: CodeMirror 6 with YAML highlighting, completion and hover docs from the procedure JSON Schema
// (codemirror-json-schema), and the server's validation problems as lint markers at their line and column,
// with a quick fix where the server says "did you mean 'x'?". Loaded after the catalogue is on screen.
import { Compartment, EditorState, type Extension } from "@codemirror/state";
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection, hoverTooltip,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { syntaxHighlighting, defaultHighlightStyle, indentOnInput, bracketMatching, foldGutter } from "@codemirror/language";
import { lintGutter, setDiagnostics, type Diagnostic } from "@codemirror/lint";
import { autocompletion, completionKeymap } from "@codemirror/autocomplete";
import { searchKeymap, highlightSelectionMatches } from "@codemirror/search";
import { yaml, yamlLanguage } from "@codemirror/lang-yaml";
import { yamlCompletion, yamlSchemaHover } from "codemirror-json-schema/yaml";
import { stateExtensions } from "codemirror-json-schema";
import schema from "../../../../definitions/schema/procedure.schema.json";

export interface Problem {
  path?: string;
  line: number;
  column: number;
  severity: "error" | "warning" | string;
  code: string;
  title?: string | null;
  message: string;
}

export interface EditorHandle {
  view: EditorView;
  text(): string;
  setText(text: string): void;
  showProblems(problems: Problem[], describe: (p: Problem) => string): void;
  goTo(line: number, column: number): void;
  selectLines(from: number, to: number): void;
  setReadOnly(on: boolean): void;
  cursorLine(): number;
}

/** The offset of (line, column), both 1-based, clamped to the document. */
export function offsetOf(state: EditorState, line: number, column: number): number {
  const l = state.doc.line(Math.min(Math.max(1, line), state.doc.lines));
  return Math.min(l.from + Math.max(0, column - 1), l.to);
}

/** A quick fix for "... 'wrong' ...; did you mean 'right'?": replaces the wrong word at the problem's place. */
function quickFix(state: EditorState, p: Problem, from: number): Diagnostic["actions"] {
  const hint = /did you mean '([^']+)'\?/.exec(p.message)?.[1];
  const wrong = /'([^']+)'/.exec(p.message)?.[1];
  if (!hint || !wrong || wrong === hint) return undefined;
  const line = state.doc.lineAt(from);
  const at = line.text.indexOf(wrong, from - line.from);
  const start = at >= 0 ? line.from + at : line.text.indexOf(wrong) >= 0 ? line.from + line.text.indexOf(wrong) : -1;
  if (start < 0) return undefined;
  return [{
    name: `→ ${hint}`,
    apply: (view) => view.dispatch({ changes: { from: start, to: start + wrong.length, insert: hint } }),
  }];
}

export function createEditor(parent: HTMLElement, options: { onChange: () => void; onCursor: (line: number) => void; label: string }): EditorHandle {
  const access = new Compartment();
  const extensions: Extension[] = [
    access.of([]),
    lineNumbers(),
    foldGutter(),
    lintGutter(),
    highlightActiveLineGutter(),
    highlightActiveLine(),
    drawSelection(),
    history(),
    indentOnInput(),
    bracketMatching(),
    highlightSelectionMatches(),
    syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
    yaml(),
    yamlLanguage.data.of({ autocomplete: yamlCompletion() }),
    hoverTooltip(yamlSchemaHover()),
    stateExtensions(schema as unknown as Parameters<typeof stateExtensions>[0]),
    autocompletion({ activateOnTyping: true }),
    keymap.of([...defaultKeymap, ...historyKeymap, ...completionKeymap, ...searchKeymap, indentWithTab]),
    EditorView.contentAttributes.of({ "aria-label": options.label, spellcheck: "false", tabindex: "0" }),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) options.onChange();
      if (update.selectionSet || update.docChanged) {
        options.onCursor(update.state.doc.lineAt(update.state.selection.main.head).number);
      }
    }),
  ];
  const view = new EditorView({ state: EditorState.create({ doc: "", extensions }), parent });

  return {
    view,
    text: () => view.state.doc.toString(),
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, selection: { anchor: 0 } });
    },
    showProblems(problems, describe) {
      const state = view.state;
      const diagnostics: Diagnostic[] = problems.map((p) => {
        const from = offsetOf(state, p.line, p.column);
        const lineEnd = state.doc.lineAt(from).to;
        // Mark the word at the problem (to the next space or end of line), at least one character.
        const rest = state.sliceDoc(from, lineEnd);
        const word = /^[^\s:,\]}]+/.exec(rest)?.[0].length ?? 0;
        const to = Math.min(lineEnd, from + Math.max(1, word));
        return {
          from, to: Math.max(to, from),
          severity: p.severity === "error" ? "error" : "warning",
          source: p.code,
          message: describe(p),
          actions: quickFix(state, p, from),
        };
      });
      view.dispatch(setDiagnostics(state, diagnostics));
    },
    goTo(line, column) {
      const at = offsetOf(view.state, line, column);
      view.dispatch({ selection: { anchor: at }, effects: EditorView.scrollIntoView(at, { y: "center" }) });
      view.focus();
    },
    setReadOnly(on) {
      view.dispatch({ effects: access.reconfigure(on ? [EditorState.readOnly.of(true), EditorView.editable.of(false)] : []) });
      parent.classList.toggle("read-only", on);
    },
    selectLines(from, to) {
      const doc = view.state.doc;
      const a = doc.line(Math.min(Math.max(1, from), doc.lines)).from;
      const b = doc.line(Math.min(Math.max(1, to), doc.lines)).to;
      view.dispatch({ selection: { anchor: a, head: b }, effects: EditorView.scrollIntoView(a, { y: "start", yMargin: 40 }) });
      view.focus();
    },
    cursorLine: () => view.state.doc.lineAt(view.state.selection.main.head).number,
  };
}
