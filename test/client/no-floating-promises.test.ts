// No unhandled promise rejection in the client: every promise a statement creates is awaited, returned, or given
// a rejection handler (`.catch(…)`, `.then(…, onRejected)`). `void p` does not count: it only hides the promise.
// Checked with the TypeScript type checker over client/src, so a new fire-and-forget call fails here.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

const ROOT = join(__dirname, '..', '..');

function floatingPromises(): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
  const program = ts.createProgram({ rootNames: config.fileNames.filter((f) => f.includes('/client/src/')), options: config.options });
  const checker = program.getTypeChecker();
  const isThenable = (node: ts.Expression) => {
    const type = checker.getTypeAtLocation(node);
    return [type, ...(type.isUnion() ? type.types : [])].some((t) => !!checker.getPropertyOfType(t, 'then'));
  };
  // A listener (`onDidChange(() => this.update())`) whose caller expects void drops the promise it returns.
  const returnsVoid = (fn: ts.ArrowFunction): boolean => {
    const contextual = checker.getContextualType(fn);
    const signatures = contextual ? checker.getSignaturesOfType(contextual, ts.SignatureKind.Call) : [];
    return signatures.length > 0 && signatures.every((sig) => !!(checker.getReturnTypeOfSignature(sig).flags & ts.TypeFlags.Void));
  };
  const handled = (e: ts.Expression): boolean => {
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
      const name = e.expression.name.text;
      if (name === 'catch') return true;
      if (name === 'then' && e.arguments.length >= 2) return true;
      if (name === 'finally') return handled(e.expression.expression);
    }
    return false;
  };
  const found: string[] = [];
  for (const sf of program.getSourceFiles()) {
    if (!sf.fileName.includes('/client/src/')) continue;
    const visit = (node: ts.Node) => {
      let expr: ts.Expression | undefined;
      if (ts.isExpressionStatement(node)) expr = node.expression;
      else if (ts.isArrowFunction(node) && !ts.isBlock(node.body) && (ts.isVoidExpression(node.body) || returnsVoid(node))) expr = node.body;
      if (expr) {
        const inner = ts.isVoidExpression(expr) ? expr.expression : expr;
        if (!ts.isAwaitExpression(inner) && ts.isCallExpression(inner) && isThenable(inner) && !handled(inner)) {
          const { line } = sf.getLineAndCharacterOfPosition(node.getStart());
          found.push(`${sf.fileName.slice(ROOT.length + 1)}:${line + 1}: ${inner.getText().slice(0, 80)}`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return found;
}

describe('the client handles every promise it starts', () => {
  it('has no floating promise in client/src', () => {
    const found = floatingPromises();
    assert.deepEqual(found, [], `floating promises:\n${found.join('\n')}`);
  });
});
