import { InvalidConfigError, loadConfig, parseDatabaseUrl } from './load-config';

describe('loadConfig', () => {
  it('defaults to embedded SQLite on port 3000', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ kind: 'sqlite', path: './data/booking.sqlite' });
    expect(config.port).toBe(3000);
    expect(config.host).toBe('0.0.0.0');
    expect(config.publicBaseUrl).toBe('http://localhost:3000');
    expect(config.sessionTtlMinutes).toBe(720);
  });

  it('derives the public base URL from PORT and strips a trailing slash from an explicit one', () => {
    expect(loadConfig({ PORT: '8080' }).publicBaseUrl).toBe('http://localhost:8080');
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://booking.example.com/' }).publicBaseUrl).toBe('https://booking.example.com');
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).port).toBe(3000);
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'postgres://x/y', PUBLIC_BASE_URL: 'booking.example.com', LOG_LEVEL: 'loud' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidConfigError);
    const problems = (error as InvalidConfigError).problems.join('\n');
    expect(problems).toMatch(/PORT/);
    expect(problems).toMatch(/DATABASE_URL/);
    expect(problems).toMatch(/PUBLIC_BASE_URL/);
    expect(problems).toMatch(/LOG_LEVEL/);
  });

  it('refuses a port out of range', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(InvalidConfigError);
  });

  it("reads the database timeout, 15 s by default, and refuses one out of range or beyond Entra's 60 s", () => {
    expect(loadConfig({}).databaseTimeoutSeconds).toBe(15);
    expect(loadConfig({ DATABASE_TIMEOUT_SECONDS: '5' }).databaseTimeoutSeconds).toBe(5);
    expect(() => loadConfig({ DATABASE_TIMEOUT_SECONDS: '0' })).toThrow(InvalidConfigError);
    expect(() => loadConfig({ DATABASE_TIMEOUT_SECONDS: '60' })).toThrow(InvalidConfigError);
    expect(() => loadConfig({ DATABASE_TIMEOUT_SECONDS: '2.5' })).toThrow(InvalidConfigError);
  });

  it('reads the shutdown timeout, 10 s by default, and refuses one out of range', () => {
    expect(loadConfig({}).shutdownTimeoutSeconds).toBe(10);
    expect(loadConfig({ SHUTDOWN_TIMEOUT_SECONDS: '25' }).shutdownTimeoutSeconds).toBe(25);
    expect(() => loadConfig({ SHUTDOWN_TIMEOUT_SECONDS: '0' })).toThrow(InvalidConfigError);
  });

  it('maps LOG_LEVEL to the levels at or above it', () => {
    expect(loadConfig({ LOG_LEVEL: 'warn' }).logLevels).toEqual(['fatal', 'error', 'warn']);
  });
});

describe('parseDatabaseUrl', () => {
  it('reads sqlite paths, relative or absolute', () => {
    expect(parseDatabaseUrl('sqlite:./data/x.sqlite')).toEqual({ kind: 'sqlite', path: './data/x.sqlite' });
    expect(parseDatabaseUrl('sqlite:/var/lib/booking.sqlite')).toEqual({ kind: 'sqlite', path: '/var/lib/booking.sqlite' });
    expect(parseDatabaseUrl('sqlite:///var/lib/booking.sqlite')).toEqual({ kind: 'sqlite', path: '/var/lib/booking.sqlite' });
  });

  it('reads mysql and mariadb URLs and names the database', () => {
    expect(parseDatabaseUrl('mysql://u:p@127.0.0.1:3307/booking')).toEqual({
      kind: 'mysql',
      flavour: 'mysql',
      url: 'mysql://u:p@127.0.0.1:3307/booking',
      database: 'booking',
    });
    expect(parseDatabaseUrl('mariadb://u:p@db/booking')).toMatchObject({
      kind: 'mysql',
      flavour: 'mariadb',
      url: 'mysql://u:p@db/booking',
    });
  });

  it('refuses a mysql URL without a database', () => {
    expect(() => parseDatabaseUrl('mysql://u:p@db:3306/')).toThrow(/one database/);
  });
});
