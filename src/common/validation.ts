import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError, type ValidatorOptions } from 'class-validator';
import { DomainError } from './domain-error';

/** The validation rules for every input DTO, shared by the HTTP pipe and the CLI. */
export const VALIDATOR_OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
};

export function validationFailed(errors: ValidationError[]): DomainError {
  const problems = errors.flatMap((error) => describeValidationError(error, ''));
  const fields = [...new Set(errors.map((error) => error.property))];
  return new DomainError('VALIDATION_FAILED', problems.join('; ') || 'input is invalid', { fields, problems });
}

/** Validates plain input (e.g. CLI flags) exactly as the HTTP API would, or throws VALIDATION_FAILED. */
export function parseInput<T extends object>(type: ClassConstructor<T>, plain: unknown): T {
  const instance = plainToInstance(type, plain);
  const errors = validateSync(instance, VALIDATOR_OPTIONS);
  if (errors.length > 0) throw validationFailed(errors);
  return instance;
}

function describeValidationError(error: ValidationError, prefix: string): string[] {
  const path = prefix ? `${prefix}.${error.property}` : error.property;
  const own = Object.values(error.constraints ?? {}).map((message) =>
    message.startsWith(`${error.property} `) ? `${prefix ? `${prefix}.` : ''}${message}` : `${path}: ${message}`,
  );
  return [...own, ...(error.children ?? []).flatMap((child) => describeValidationError(child, path))];
}
