/** The RPC method behind the page's disconnect button (registered only when the inspector is on). */
export const INSPECTOR_DISCONNECT = 'oxidite.inspector.disconnect';
