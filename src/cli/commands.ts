import type { INestApplicationContext } from '@nestjs/common';
import { parseArgs } from 'node:util';
import { parseInput } from '../common/validation';
import { OrganisationsService } from '../organisations/organisations.service';
import { CreateUserInput } from '../users/dto/user-input.dto';
import { ScimCredentialsService } from '../scim/auth/scim-credentials.service';
import { UsersService } from '../users/users.service';

export class CliUsageError extends Error {}

interface Command {
  usage: string;
  options: Record<string, { type: 'string' }>;
  run(app: INestApplicationContext, flags: Record<string, string | undefined>): Promise<unknown>;
}

function required(flags: Record<string, string | undefined>, name: string): string {
  const value = flags[name];
  if (value === undefined || value === '') throw new CliUsageError(`--${name} is required`);
  return value;
}

/** Every CLI command: flags in, one JSON-serialisable result out. */
export const COMMANDS: Record<string, Command> = {
  'org:create': {
    usage: 'org:create --name "Acme Corp" [--slug acme]',
    options: { name: { type: 'string' }, slug: { type: 'string' } },
    run: (app, flags) => app.get(OrganisationsService).create({ name: required(flags, 'name'), slug: flags.slug }),
  },
  'user:create': {
    usage:
      'user:create --org <slug> --email <email> --name "<display name>" [--role admin|user] [--password <password>] [--user-name <userName>]',
    options: {
      org: { type: 'string' },
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      password: { type: 'string' },
      'user-name': { type: 'string' },
    },
    run: async (app, flags) => {
      const id = await organisationId(app, flags);
      const input = parseInput(CreateUserInput, {
        email: required(flags, 'email'),
        displayName: required(flags, 'name'),
        role: flags.role,
        password: flags.password,
        userName: flags['user-name'],
      });
      return app.get(UsersService).create(id, input);
    },
  },
  'scim:enable': {
    usage: 'scim:enable --org <slug>',
    options: { org: { type: 'string' } },
    run: async (app, flags) => app.get(ScimCredentialsService).enable(await organisationId(app, flags)),
  },
  'scim:rotate-token': {
    usage: 'scim:rotate-token --org <slug>',
    options: { org: { type: 'string' } },
    run: async (app, flags) => app.get(ScimCredentialsService).rotateToken(await organisationId(app, flags)),
  },
  'counts:rebuild': {
    usage: 'counts:rebuild [--org <slug>]',
    options: { org: { type: 'string' } },
    run: (app, flags) => app.get(OrganisationsService).rebuildRowCounts(flags.org),
  },
  'scim:disable': {
    usage: 'scim:disable --org <slug>',
    options: { org: { type: 'string' } },
    run: async (app, flags) => app.get(ScimCredentialsService).disable(await organisationId(app, flags)),
  },
};

async function organisationId(app: INestApplicationContext, flags: Record<string, string | undefined>): Promise<string> {
  return (await app.get(OrganisationsService).getBySlug(required(flags, 'org'))).id;
}

/** Parses argv into a command and its flags; unknown commands or flags are usage errors. */
export function parseCommandLine(argv: string[]): { command: Command; flags: Record<string, string | undefined> } {
  const [name, ...rest] = argv;
  const command = name === undefined ? undefined : COMMANDS[name];
  if (!command) {
    const problem = name === undefined ? 'no command given' : `unknown command ${JSON.stringify(name)}`;
    throw new CliUsageError(`${problem}; commands: ${Object.keys(COMMANDS).join(', ')}`);
  }
  try {
    const { values } = parseArgs({ args: rest, options: command.options, strict: true, allowPositionals: false });
    return { command, flags: values as Record<string, string | undefined> };
  } catch (error) {
    throw new CliUsageError(`${(error as Error).message.split('\n')[0]} (usage: ${command.usage})`);
  }
}
