// The console's JSON code editor and the helpers that place ASL
// diagnostics (JSON pointers) in a document.
export { Editor, formatJSON, jsonSyntaxDiagnostic, toCodeMirror, type EditorDiagnostic, type EditorProps } from './Editor';
export { joinPointer, locateAll, pointerRange, pointerTokens, syntaxErrorAt, type TextRange } from './pointer';
