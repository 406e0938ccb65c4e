// What Wails v2 injects into the desktop webview. Only the single bound Bridge is used; the
// generated bindings (wailsjs/, written by `wails build`) are not imported by hand.
export {};

declare global {
  interface WailsBridge {
    Call(service: string, method: string, args: unknown[]): Promise<unknown>;
  }
  interface WailsRuntime {
    EventsOn(name: string, cb: (...data: unknown[]) => void): (() => void) | void;
    EventsOff?(name: string, ...more: string[]): void;
    WindowSetTitle?(title: string): void;
  }
  interface Window {
    go?: { app?: { Bridge?: WailsBridge } };
    runtime?: WailsRuntime;
  }
}
