// A text input (or text area) whose own value is the truth while the user
// types. A controlled input (value={state}) is rewritten from the props on
// each render; when a render lagged behind the keys (a large machine took
// 150 ms a key), it wrote back an older text and the keys typed meanwhile
// were lost ("Say thanks" saved as "Sa tanks"). Here the DOM keeps what was
// typed; the value prop is written into it only when it says something
// else than the DOM already does: a change from elsewhere (undo, Code mode,
// another field), not the echo of this field's own typing.

import { useLayoutEffect, useRef } from 'preact/hooks';

/** The attributes passed through to the element (id, class, data-*, aria-*, rows...). */
type Attrs = { [attr: string]: unknown };

interface Own {
  /** The value the document holds. */
  value: string;
  /** Called with the element's text on every input event. */
  onText: (text: string) => void;
  /**
   * Whether the text in the element already stands for value (the echo of
   * its own edit: "1.50" typed may come back as the number 1.50); defaults
   * to equality.
   */
  shows?: (text: string, value: string) => boolean;
  multiline?: boolean;
}

type Props = Own & Attrs;

export function TextInput({ value, onText, shows = (t: string, v: string) => t === v, multiline, ...attrs }: Props) {
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const showsRef = useRef(shows);
  showsRef.current = shows;
  // A layout effect runs right after the render that carries value, before
  // the browser handles another key, so it never compares against a text
  // older than the element's.
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && !showsRef.current(el.value, value)) el.value = value;
  }, [value, multiline]);
  const onInput = (e: Event) => onText((e.currentTarget as HTMLInputElement).value);
  const rest = attrs as Record<string, never>;
  return multiline ? <textarea ref={ref} onInput={onInput} {...rest} /> : <input ref={ref} onInput={onInput} {...rest} />;
}
