const Key = "delegation.adminKey";

/**
 * The admin key lives in sessionStorage only: it survives a reload of this tab, never reaches another tab or
 * disk-backed storage, and is gone when the tab closes or the operator signs out.
 */
export const session = {
    get key(): string | null {
        return sessionStorage.getItem(Key);
    },
    signIn(key: string): void {
        sessionStorage.setItem(Key, key);
    },
    signOut(): void {
        sessionStorage.removeItem(Key);
    },
};
